/** The JSON form of the api records (Jackson), one configuration for every bundle. */
package org.gatehouse.api.json;
