package org.gatehouse.settings.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Hand-made metatype definitions for the tests. */
final class Definitions {
    private Definitions() {
    }

    /** An attribute definition that tells its bounds with getMin()/getMax() (as Felix metatype's AD does). */
    public static final class Ad implements AttributeDefinition {
        final String id;
        final int type;
        int cardinality;
        String[] defaults;
        String[] options;
        String min;
        String max;
        boolean required = true;
        Function<String, String> validator = v -> "";

        Ad(String id, int type) {
            this.id = id;
            this.type = type;
        }

        Ad cardinality(int c) {
            this.cardinality = c;
            return this;
        }

        Ad defaults(String... d) {
            this.defaults = d;
            return this;
        }

        Ad options(String... o) {
            this.options = o;
            return this;
        }

        Ad min(String m) {
            this.min = m;
            return this;
        }

        Ad max(String m) {
            this.max = m;
            return this;
        }

        Ad optional() {
            this.required = false;
            return this;
        }

        Ad validator(Function<String, String> v) {
            this.validator = v;
            return this;
        }

        public String getMin() {
            return min;
        }

        public String getMax() {
            return max;
        }

        @Override
        public String getName() {
            return id + " name";
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return id + " description";
        }

        @Override
        public int getCardinality() {
            return cardinality;
        }

        @Override
        public int getType() {
            return type;
        }

        @Override
        public String[] getOptionValues() {
            return options;
        }

        @Override
        public String[] getOptionLabels() {
            return options == null ? null : Arrays.stream(options).map(o -> o.toUpperCase()).toArray(String[]::new);
        }

        @Override
        public String validate(String value) {
            return validator.apply(value);
        }

        @Override
        public String[] getDefaultValue() {
            return defaults;
        }
    }

    /** A definition that hides the one it wraps in a private field (as Felix's localized definitions do). */
    static final class Wrapped implements AttributeDefinition {
        private final Ad ad;

        Wrapped(Ad ad) {
            this.ad = ad;
        }

        @Override
        public String getName() {
            return ad.getName();
        }

        @Override
        public String getID() {
            return ad.getID();
        }

        @Override
        public String getDescription() {
            return ad.getDescription();
        }

        @Override
        public int getCardinality() {
            return ad.getCardinality();
        }

        @Override
        public int getType() {
            return ad.getType();
        }

        @Override
        public String[] getOptionValues() {
            return ad.getOptionValues();
        }

        @Override
        public String[] getOptionLabels() {
            return ad.getOptionLabels();
        }

        @Override
        public String validate(String value) {
            return ad.validate(value);
        }

        @Override
        public String[] getDefaultValue() {
            return ad.getDefaultValue();
        }
    }

    static ObjectClassDefinition ocd(String id, AttributeDefinition... ads) {
        return new ObjectClassDefinition() {
            @Override
            public String getName() {
                return id + " name";
            }

            @Override
            public String getID() {
                return id;
            }

            @Override
            public String getDescription() {
                return id + " description";
            }

            @Override
            public AttributeDefinition[] getAttributeDefinitions(int filter) {
                List<AttributeDefinition> out = new ArrayList<>();
                for (AttributeDefinition ad : ads) {
                    boolean required = ad instanceof Ad a ? a.required : ((Wrapped) ad).ad.required;
                    if (filter == ALL || (filter == REQUIRED) == required) {
                        out.add(ad);
                    }
                }
                return out.isEmpty() ? null : out.toArray(AttributeDefinition[]::new);
            }

            @Override
            public java.io.InputStream getIcon(int size) {
                return null;
            }
        };
    }
}
