package org.gatehouse.settings.ui;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * One configuration's form, from its metatype definition and no Vaadin: the fields its attribute definitions ask
 * for ({@link #fields()}, with the current value or else the default), the form's text turned back into typed
 * configuration values with a problem per field ({@link #parse}), and the dictionary to write with the keys that
 * changed ({@link #change}).
 *
 * <p>Secrets (type {@code PASSWORD}, or an id containing {@code password}, {@code secret}, {@code token} or
 * {@code key}) never leave the configuration: their field starts empty, an empty field leaves the value as it is,
 * a typed one always counts as a change (so the form cannot be used to guess a secret) and no problem repeats what
 * was typed.
 *
 * <p>Empty fields: an optional attribute's key is removed (the module's default applies). A required one must be
 * given unless it is text or a list with a default: the modules' annotations mark everything required unless told
 * otherwise, and their empty defaults mean something ("empty = all communities", "no streams = no feed"), so an
 * empty text or list is kept as a value there.
 */
public final class SettingsForm {
    /** Which input a field needs. */
    public enum Kind {
        TEXT, INTEGER, LONG, DECIMAL, BOOLEAN, CHOICE, LIST, SECRET
    }

    public record Option(String value, String label) {
    }

    /**
     * One attribute as a form field.
     *
     * @param value       the current value as text (a list comma-separated), else the default; always empty for a
     *                    secret
     * @param set         whether the configuration holds a value now
     * @param min         the definition's minimum ({@code null} when none or not known): a number's, or a text's length
     * @param defaults    the definition's default values, {@code null} when it has none
     */
    public record FieldSpec(String id, String name, String description, Kind kind, int type, int cardinality,
                            boolean required, boolean secret, String value, boolean set, List<Option> options,
                            String min, String max, List<String> defaults, AttributeDefinition definition) {
        public boolean multiple() {
            return cardinality != 0;
        }
    }

    /** A field's problem: a key of the screen's texts and its arguments (never a secret's value). */
    public record Problem(String key, List<String> args) {
        static Problem of(String key, Object... args) {
            return new Problem(key, Arrays.stream(args).map(String::valueOf).toList());
        }
    }

    /**
     * The form read back: typed values by attribute id (secrets only when typed into), the ids to remove, and the
     * problems by attribute id.
     */
    public record Parsed(Map<String, Object> values, Set<String> removed, Map<String, Problem> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** What to write: the whole dictionary and the ids of the attributes that changed. */
    public record Change(Hashtable<String, Object> properties, List<String> keys) {
    }

    /** Properties ConfigurationAdmin sets itself. */
    private static final Set<String> AUTOMATIC = Set.of("service.pid", "service.factorypid", "service.bundlelocation");
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private final Dictionary<String, ?> current;
    private final List<FieldSpec> fields;

    /**
     * @param current the configuration's properties now, {@code null} when there is none yet
     */
    public SettingsForm(ObjectClassDefinition definition, Dictionary<String, ?> current) {
        this.current = current;
        this.fields = List.copyOf(build(definition, current));
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    // --- definition → fields ---------------------------------------------------------------------------------------

    private static List<FieldSpec> build(ObjectClassDefinition ocd, Dictionary<String, ?> current) {
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        AttributeDefinition[] required = ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
        Set<String> requiredIds = new HashSet<>();
        if (required != null) {
            Arrays.stream(required).forEach(ad -> requiredIds.add(ad.getID()));
        }
        List<FieldSpec> out = new ArrayList<>();
        if (all == null) {
            return out;
        }
        for (AttributeDefinition ad : all) {
            out.add(field(ad, requiredIds.contains(ad.getID()), current));
        }
        return out;
    }

    private static FieldSpec field(AttributeDefinition ad, boolean required, Dictionary<String, ?> current) {
        boolean secret = isSecret(ad);
        List<Option> options = new ArrayList<>();
        String[] values = ad.getOptionValues();
        String[] labels = ad.getOptionLabels();
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                options.add(new Option(values[i], labels != null && i < labels.length && labels[i] != null
                        ? labels[i] : values[i]));
            }
        }
        int type = ad.getType();
        int cardinality = ad.getCardinality();
        Kind kind;
        if (secret) {
            kind = Kind.SECRET;
        } else if (cardinality != 0) {
            kind = Kind.LIST;
        } else if (!options.isEmpty()) {
            kind = Kind.CHOICE;
        } else {
            kind = switch (type) {
                case AttributeDefinition.BOOLEAN -> Kind.BOOLEAN;
                case AttributeDefinition.INTEGER, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> Kind.INTEGER;
                case AttributeDefinition.LONG -> Kind.LONG;
                case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> Kind.DECIMAL;
                default -> Kind.TEXT;
            };
        }
        String[] defaults = ad.getDefaultValue();
        Object now = current == null ? null : current.get(ad.getID());
        String value = secret ? "" : now != null ? text(now) : defaults == null ? "" : join(Arrays.asList(defaults));
        return new FieldSpec(ad.getID(), ad.getName() == null || ad.getName().isBlank() ? ad.getID() : ad.getName(),
                ad.getDescription() == null ? "" : ad.getDescription(), kind, type, cardinality, required, secret,
                value, now != null, List.copyOf(options), bound(ad, "getMin"), bound(ad, "getMax"),
                defaults == null ? null : Arrays.asList(defaults), ad);
    }

    /** Whether the attribute holds a secret: a password type, or an id that names one. */
    public static boolean isSecret(AttributeDefinition ad) {
        if (ad.getType() == AttributeDefinition.PASSWORD) {
            return true;
        }
        String id = ad.getID() == null ? "" : ad.getID().toLowerCase(Locale.ROOT);
        return id.contains("password") || id.contains("secret") || id.contains("token") || id.contains("key");
    }

    /**
     * The definition's minimum or maximum, when it tells it: the OSGi interface does not (only
     * {@link AttributeDefinition#validate} applies them), so this asks the definition, or the definition it wraps
     * (Felix metatype's localized one wraps its {@code AD}), for a {@code getMin()}/{@code getMax()}. Only for
     * showing the bounds on the field and a message in the user's language: {@code validate} still checks them.
     */
    static String bound(AttributeDefinition ad, String getter) {
        Object found = call(ad, getter);
        if (found == null) {
            for (Class<?> c = ad.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType().isPrimitive() || f.getType() == String.class) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        Object inner = f.get(ad);
                        found = inner == null ? null : call(inner, getter);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        found = null;
                    }
                    if (found != null) {
                        break;
                    }
                }
                if (found != null) {
                    break;
                }
            }
        }
        return found instanceof String s && !s.isBlank() ? s.trim() : null;
    }

    private static Object call(Object target, String getter) {
        try {
            Method m = target.getClass().getMethod(getter);
            if (m.getReturnType() != String.class) {
                return null;
            }
            m.setAccessible(true);
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    // --- form text → values ----------------------------------------------------------------------------------------

    /** The form's text by attribute id (a missing id reads as empty; a boolean as {@code true}/{@code false}). */
    public Parsed parse(Map<String, String> input) {
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> removed = new LinkedHashSet<>();
        Map<String, Problem> errors = new LinkedHashMap<>();
        for (FieldSpec f : fields) {
            String raw = input.getOrDefault(f.id(), "");
            raw = raw == null ? "" : f.secret() ? raw : raw.trim();
            List<String> elements = f.multiple() ? split(raw) : raw.isEmpty() ? List.of() : List.of(raw);
            if (elements.isEmpty()) {
                if (f.secret()) {
                    continue;
                }
                if (!f.required()) {
                    removed.add(f.id());
                } else if (f.defaults() != null && (f.multiple() || isText(f.type()))) {
                    values.put(f.id(), f.multiple() ? collect(f, List.of()) : "");
                } else {
                    errors.put(f.id(), Problem.of("error.required"));
                }
                continue;
            }
            Problem problem = null;
            List<Object> typed = new ArrayList<>();
            int limit = f.cardinality() == 0 ? 1
                    : f.cardinality() == Integer.MIN_VALUE ? UNLIMITED : Math.abs(f.cardinality());
            if (elements.size() > limit) {
                problem = Problem.of("error.tooMany", limit);
            }
            for (String element : elements) {
                if (problem != null) {
                    break;
                }
                problem = check(f, element);
                if (problem == null) {
                    typed.add(convert(f.type(), element));
                }
            }
            if (problem != null) {
                errors.put(f.id(), problem);
            } else {
                values.put(f.id(), f.multiple() ? collect(f, typed) : typed.get(0));
            }
        }
        return new Parsed(values, removed, errors);
    }

    private static boolean isText(int type) {
        return type == AttributeDefinition.STRING || type == AttributeDefinition.PASSWORD;
    }

    /** One value against its type, bounds, options and then the definition's own {@code validate}. */
    @SuppressWarnings("deprecation")
    private static Problem check(FieldSpec f, String element) {
        Object value;
        try {
            value = convert(f.type(), element);
        } catch (IllegalArgumentException e) {
            return switch (f.type()) {
                case AttributeDefinition.BOOLEAN -> Problem.of("error.boolean");
                case AttributeDefinition.CHARACTER -> Problem.of("error.character");
                case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT, AttributeDefinition.BIGDECIMAL -> Problem.of("error.decimal");
                default -> Problem.of("error.integer");
            };
        }
        if (value instanceof Number n) {
            BigDecimal number = new BigDecimal(n.toString());
            BigDecimal min = decimal(f.min());
            BigDecimal max = decimal(f.max());
            if (min != null && number.compareTo(min) < 0) {
                return Problem.of("error.min", f.min());
            }
            if (max != null && number.compareTo(max) > 0) {
                return Problem.of("error.max", f.max());
            }
        } else if (value instanceof String s) {
            BigDecimal min = decimal(f.min());
            BigDecimal max = decimal(f.max());
            if (min != null && s.length() < min.intValue()) {
                return Problem.of("error.minLength", f.min());
            }
            if (max != null && s.length() > max.intValue()) {
                return Problem.of("error.maxLength", f.max());
            }
        }
        if (!f.options().isEmpty() && f.options().stream().noneMatch(o -> o.value().equals(element))) {
            return Problem.of("error.option");
        }
        String verdict;
        try {
            // validate reads several values as one comma-separated text
            verdict = f.definition() == null ? null : f.definition().validate(f.multiple() ? escape(element) : element);
        } catch (RuntimeException e) {
            verdict = null;
        }
        return verdict == null || verdict.isEmpty() ? null : problem(f, verdict);
    }

    /** {@code validate}'s answer as a problem (Felix metatype answers in English codes such as "%invalid value"). */
    private static Problem problem(FieldSpec f, String verdict) {
        String code = verdict.startsWith("%") ? verdict.substring(1) : verdict;
        return switch (code.trim().toLowerCase(Locale.ROOT)) {
            case "missing required value" -> Problem.of("error.required");
            case "greater than maximum" -> f.max() == null ? Problem.of("error.tooLarge") : Problem.of("error.max", f.max());
            case "less than minimum" -> f.min() == null ? Problem.of("error.tooSmall") : Problem.of("error.min", f.min());
            case "not a valid option" -> Problem.of("error.option");
            case "invalid value" -> Problem.of("error.invalid");
            // a definition's own words, unless it is a secret's (they might repeat it)
            default -> f.secret() ? Problem.of("error.invalid") : Problem.of("error.definition", verdict);
        };
    }

    private static BigDecimal decimal(String text) {
        try {
            return text == null ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One value of {@code type} from its text; {@link IllegalArgumentException} when it is not one. */
    @SuppressWarnings("deprecation")
    static Object convert(int type, String text) {
        return switch (type) {
            case AttributeDefinition.LONG -> Long.valueOf(text.trim());
            case AttributeDefinition.INTEGER -> Integer.valueOf(text.trim());
            case AttributeDefinition.SHORT -> Short.valueOf(text.trim());
            case AttributeDefinition.BYTE -> Byte.valueOf(text.trim());
            case AttributeDefinition.DOUBLE -> finite(Double.valueOf(text.trim()));
            case AttributeDefinition.FLOAT -> finite(Float.valueOf(text.trim()).doubleValue()).floatValue();
            case AttributeDefinition.BIGINTEGER -> new BigInteger(text.trim());
            case AttributeDefinition.BIGDECIMAL -> new BigDecimal(text.trim());
            case AttributeDefinition.BOOLEAN -> {
                if (!"true".equalsIgnoreCase(text.trim()) && !"false".equalsIgnoreCase(text.trim())) {
                    throw new IllegalArgumentException("not a boolean");
                }
                yield Boolean.valueOf(text.trim());
            }
            case AttributeDefinition.CHARACTER -> {
                if (text.length() != 1) {
                    throw new IllegalArgumentException("not one character");
                }
                yield text.charAt(0);
            }
            default -> text;
        };
    }

    private static Double finite(Double d) {
        if (d.isNaN() || d.isInfinite()) {
            throw new IllegalArgumentException("not a finite number");
        }
        return d;
    }

    @SuppressWarnings("deprecation")
    private static Class<?> javaType(int type) {
        return switch (type) {
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            case AttributeDefinition.BIGINTEGER -> BigInteger.class;
            case AttributeDefinition.BIGDECIMAL -> BigDecimal.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            case AttributeDefinition.CHARACTER -> Character.class;
            default -> String.class;
        };
    }

    /** Several values as the cardinality asks: an array of the type (cardinality &gt; 0) or a list (&lt; 0). */
    private static Object collect(FieldSpec f, List<Object> typed) {
        if (f.cardinality() < 0) {
            return new ArrayList<>(typed);
        }
        Object array = Array.newInstance(javaType(f.type()), typed.size());
        for (int i = 0; i < typed.size(); i++) {
            Array.set(array, i, typed.get(i));
        }
        return array;
    }

    // --- values → the dictionary to write --------------------------------------------------------------------------

    /**
     * The dictionary to write: the current one (keys of no definition kept, such as fileinstall's file name) with
     * the values that differ from what the form showed, typed secrets, and the removals.
     *
     * @param creating a new configuration: every value is written, so it counts as changed
     */
    public Change change(Parsed parsed, boolean creating) {
        return change(parsed, current, creating);
    }

    /** {@link #change(Parsed, boolean)} on {@code base}: the configuration's properties as they are now. */
    public Change change(Parsed parsed, Dictionary<String, ?> base, boolean creating) {
        Hashtable<String, Object> next = new Hashtable<>();
        if (base != null) {
            for (Enumeration<String> keys = base.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!AUTOMATIC.contains(key.toLowerCase(Locale.ROOT)) && base.get(key) != null) {
                    next.put(key, base.get(key));
                }
            }
        }
        List<String> changed = new ArrayList<>();
        for (FieldSpec f : fields) {
            String id = f.id();
            if (parsed.values().containsKey(id)) {
                Object value = parsed.values().get(id);
                if (creating || f.secret() || !same(f, value)) {
                    next.put(id, value);
                    changed.add(id);
                }
            } else if (parsed.removed().contains(id) && next.remove(id) != null) {
                changed.add(id);
            }
        }
        return new Change(next, changed);
    }

    /** Whether {@code value} is what the form showed (the same values, however the configuration typed them). */
    private static boolean same(FieldSpec f, Object value) {
        try {
            List<String> shown = f.multiple() ? split(f.value()) : f.value().isEmpty() ? List.of() : List.of(f.value());
            List<Object> before = new ArrayList<>();
            for (String s : shown) {
                before.add(convert(f.type(), f.multiple() ? s : s.trim()));
            }
            List<Object> after = new ArrayList<>();
            if (value != null && value.getClass().isArray()) {
                for (int i = 0; i < Array.getLength(value); i++) {
                    after.add(Array.get(value, i));
                }
            } else if (value instanceof Collection<?> c) {
                after.addAll(c);
            } else if (!"".equals(value)) {
                after.add(value);
            }
            return Objects.equals(before, after);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // --- text ------------------------------------------------------------------------------------------------------

    /** A configuration value as the form shows it: several comma-separated (a comma inside one as {@code \,}). */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return join(items);
        }
        if (value instanceof Collection<?> c) {
            return join(c);
        }
        return String.valueOf(value);
    }

    static String join(Collection<?> items) {
        List<String> parts = new ArrayList<>();
        for (Object o : items) {
            parts.add(escape(String.valueOf(o)));
        }
        return String.join(", ", parts);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,");
    }

    /** Comma-separated values, each trimmed, empty ones dropped; {@code \,} is a comma inside a value. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (c == ',') {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }
}
