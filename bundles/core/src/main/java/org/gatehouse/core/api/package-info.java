/**
 * What other Gatehouse bundles use of the core: the REST API whiteboard ({@link org.gatehouse.core.api.RestResource})
 * and the caller model. Camel routes plug in by registering {@code org.apache.camel.RoutesBuilder} services and use
 * the streams named in {@link org.gatehouse.api.stream.Streams}.
 */
package org.gatehouse.core.api;
