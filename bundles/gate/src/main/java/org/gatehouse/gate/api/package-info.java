/**
 * The gate's public face: the decision service ({@link org.gatehouse.gate.api.GateDecisions}) that turns what a
 * terminal presents into an explained open or deny, and the two service-provider interfaces other bundles plug in
 * with — {@link org.gatehouse.gate.api.ScreeningCheck} (temperature, mask, ID-card photo, …) and
 * {@link org.gatehouse.gate.api.DoorAdapter} (one per terminal vendor). Only value types and interfaces live here.
 */
package org.gatehouse.gate.api;
