package org.gatehouse.recognition.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Operating bands of the galleries (PID {@code org.gatehouse.recognition.bands}, {@code etc/…bands.cfg}). */
@ObjectClassDefinition(name = "Gatehouse gallery operating bands",
        description = "Accept / verify / reject thresholds of each community's gallery, from its size")
public @interface BandsConfig {
    String PID = "org.gatehouse.recognition.bands";

    @AttributeDefinition(description = "Target false-positive identification rate at the accept threshold: the "
            + "share of strangers a gallery may accept as somebody (0.001 = 0.1 %)", min = "0.000001", max = "0.1")
    double targetFpir() default 0.001;

    @AttributeDefinition(description = "False-match rate of one 1:1 check after a second factor (the verify "
            + "threshold; also the reject threshold below which no second factor is asked)", min = "0.0000001",
            max = "0.01")
    double verifyFalseMatchRate() default 0.0001;
}
