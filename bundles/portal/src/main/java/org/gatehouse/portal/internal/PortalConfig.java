package org.gatehouse.portal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Gatehouse portal", description = "The web portal for community offices (etc/org.gatehouse.portal.cfg)")
public @interface PortalConfig {
    String PID = "org.gatehouse.portal";

    @AttributeDefinition(description = "HTTP port of the portal (the REST API stays on Karaf's 8181)", min = "1", max = "65535")
    int port() default 8090;

    @AttributeDefinition(description = "Address to listen on: 0.0.0.0 for the office network, 127.0.0.1 behind a TLS reverse proxy on this machine")
    String host() default "0.0.0.0";

    @AttributeDefinition(description = "Minutes without activity after which a login ends (an open tab does not keep it alive)", min = "1", max = "1440")
    int sessionTimeoutMinutes() default 30;

    @AttributeDefinition(description = "Time zone the community's dates and times are shown in")
    String timeZone() default "Asia/Shanghai";

    @AttributeDefinition(description = "Language of the login page and of users who have not chosen one: zh-CN or en")
    String defaultLanguage() default "zh-CN";
}
