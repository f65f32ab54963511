package org.gatehouse.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/** Boots the built Gatehouse distribution with free ports; helpers for HTTP, the shell and waiting. */
public abstract class GatehouseTestSupport {
    static final String ITEST_ROUTES_BUNDLE = "org.gatehouse.itests.routes";
    /** The demo community's office login (the demo is on in the distribution's default configuration). */
    static final String OFFICE = "office:office";

    /**
     * {@code admin:PASSWORD} with the password the container generated on its first start (there is no
     * default one); inside the container only.
     */
    static String admin() {
        java.nio.file.Path file = java.nio.file.Paths.get(System.getProperty("karaf.etc"), "gatehouse-admin.password");
        try {
            await("the generated administrator password", 60000, () -> java.nio.file.Files.isRegularFile(file)
                    && adminHashed());
            return "admin:" + java.nio.file.Files.readString(file).strip();
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether users.properties holds the administrator with a hashed password (done creating it). */
    static boolean adminHashed() {
        try {
            java.util.Properties users = new java.util.Properties();
            try (InputStream in = java.nio.file.Files.newInputStream(
                    java.nio.file.Paths.get(System.getProperty("karaf.etc"), "users.properties"))) {
                users.load(in);
            }
            return users.getProperty("admin", "").startsWith("{CRYPT}");
        } catch (IOException e) {
            return false;
        }
    }

    /** Options every Gatehouse container gets; subclasses add their own (e.g. the PostgreSQL store). */
    protected static List<Option> baseOptions() {
        return baseOptions(false);
    }

    /**
     * {@code demoSimulator}: whether the demo may turn on the gate simulator as it does in a real start. Off for the
     * tests that do not test it ({@code enabled = false} set by hand, which the demo leaves alone): its passages,
     * door moves and the gate's restart on the demo's door adapters would mix with theirs.
     */
    protected static List<Option> baseOptions(boolean demoSimulator) {
        File examRepo = new File(System.getProperty("gatehouse.exam.repo", "target/exam-repo")).getAbsoluteFile();
        if (!new File(examRepo, "org/ops4j/pax/exam/pax-exam-features").isDirectory()) {
            throw new IllegalStateException("Run the itests through Maven (mvn verify): " + examRepo
                    + " is filled by the pre-integration-test phase");
        }
        int http = freePort();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(distribution())
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(http)),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                // the portal on a free port too: tests run while a Gatehouse of ./gatehouse run holds 8090
                editConfigurationFilePut("etc/org.gatehouse.portal.cfg", "port", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.gatehouse.portal.cfg", "host", "127.0.0.1"),
                // Pax Exam's own features and bundles come from the folder the build filled (see the pom);
                // Gatehouse itself resolves from the distribution's system/ folder and stays offline
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        examRepo.toURI() + "@id=exam-repo"),
                // as bin/setenv of the distribution: the face gallery's Vector API kernel
                vmOption("--add-modules=jdk.incubator.vector"),
                systemProperty("gatehouse.itest.http.port").value(String.valueOf(http)),
                // lets the tests send Origin, as a browser page of another site would
                systemProperty("sun.net.http.allowRestrictedHeaders").value("true"),
                systemProperty("gatehouse.itest.routes.bundle").value(routesBundleFile())));
        if (!demoSimulator) {
            options.add(editConfigurationFilePut("etc/org.gatehouse.gate.simulator.cfg", "enabled", "false"));
        }
        return options;
    }

    /** The distribution this build just made (not whatever the local repository holds). */
    static String distribution() {
        File zip = new File(System.getProperty("gatehouse.distribution", "")).getAbsoluteFile();
        if (!zip.isFile()) {
            throw new IllegalStateException("Build the distribution first: " + zip + " is missing");
        }
        return zip.toURI().toString();
    }

    /**
     * Writes a bundle made of {@link ItestRoutes} (it registers a RoutesBuilder when started) and returns
     * its path; the tests install it in the container themselves.
     */
    static String routesBundleFile() {
        try (InputStream in = TinyBundles.bundle()
                .addClass(ItestRoutes.class)
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(ITEST_ROUTES_BUNDLE)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .activator(ItestRoutes.class)
                .setHeader(Constants.IMPORT_PACKAGE, "org.apache.camel,org.apache.camel.builder,"
                        + "org.apache.camel.model,org.osgi.framework")
                .build(TinyBundles.rawBuilder())) {
            File file = new File("target/itest-routes.jar").getAbsoluteFile();
            java.nio.file.Files.copy(in, file.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file.getPath();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the test routes bundle", e);
        }
    }

    /** The test routes bundle, installed on first use. */
    static Bundle routesBundle(BundleContext context) throws Exception {
        for (Bundle b : context.getBundles()) {
            if (ITEST_ROUTES_BUNDLE.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return context.installBundle(new File(System.getProperty("gatehouse.itest.routes.bundle")).toURI().toString());
    }

    /**
     * A test helper from gatehouse-testing as a bundle of its own in the container (the probe holds only this module's
     * test classes): its classes, exporting their package, which the probe's {@code DynamicImport-Package: *} finds;
     * {@code imports} are the packages it needs from the container (JDK {@code com.sun.*} is boot-delegated).
     */
    static String helperBundleFile(String name, String imports, Class<?>... classes) {
        org.ops4j.pax.tinybundles.TinyBundle bundle = TinyBundles.bundle();
        for (Class<?> c : classes) {
            bundle.addClass(c);
        }
        bundle.setHeader(Constants.BUNDLE_MANIFESTVERSION, "2").symbolicName("org.gatehouse.itests." + name)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .setHeader(Constants.EXPORT_PACKAGE, classes[0].getPackageName());
        if (imports != null) {
            bundle.setHeader(Constants.IMPORT_PACKAGE, imports);
        }
        try (InputStream in = bundle.build(TinyBundles.rawBuilder())) {
            File file = new File("target/itest-" + name + ".jar").getAbsoluteFile();
            java.nio.file.Files.copy(in, file.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file.toURI().toString();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the " + name + " bundle", e);
        }
    }

    /**
     * Sets a community's welfare contacts ({@code role|name|channel}, in order) in its one configuration: the demo
     * creates that configuration on its first start, so this waits for it and changes it (a second configuration for
     * the same community would leave which one counts to chance).
     */
    static void welfareContacts(org.osgi.service.cm.ConfigurationAdmin configurations, String communityId,
                                String... contacts) throws Exception {
        String filter = "(&(service.factoryPid=org.gatehouse.welfare.community)(communityId=" + communityId + "))";
        await("the community's welfare configuration (made by the demo)", 60000, () -> {
            try {
                org.osgi.service.cm.Configuration[] found = configurations.listConfigurations(filter);
                return found != null && found.length == 1;
            } catch (Exception e) {
                return false;
            }
        });
        org.osgi.service.cm.Configuration c = configurations.listConfigurations(filter)[0];
        java.util.Dictionary<String, Object> props = c.getProperties();
        props.put("contacts", contacts);
        c.update(props);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- inside the container ----

    static String api(String path) {
        return "http://localhost:" + System.getProperty("gatehouse.itest.http.port") + "/api" + path;
    }

    record Response(int status, String body) {
    }

    /** A request with exactly the given body, content type (null: none) and extra headers. */
    static Response raw(String method, String path, String credentials, String body, String contentType,
                        java.util.Map<String, String> headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(api(path)).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        if (credentials != null) {
            c.setRequestProperty("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        headers.forEach(c::setRequestProperty);
        if (contentType != null) {
            c.setRequestProperty("Content-Type", contentType);
        }
        if (body != null || "POST".equals(method)) {
            c.setDoOutput(true);
            if (contentType == null) {
                // HttpURLConnection would send form encoding by default: send none at all
                c.setRequestProperty("Content-Type", "");
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** GET of a page outside the API ({@code /}, {@code /api/docs/…}), not following redirects. */
    static Response page(String path, String accept) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:"
                + System.getProperty("gatehouse.itest.http.port") + path).openConnection();
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        if (accept != null) {
            c.setRequestProperty("Accept", accept);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String location = c.getHeaderField("Location");
        return new Response(status, location != null ? "Location: " + location + "\n" + body : body);
    }

    static Response http(String method, String path, String credentials, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(api(path)).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        if (credentials != null) {
            String header = credentials.startsWith("Bearer ") ? credentials
                    : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            c.setRequestProperty("Authorization", header);
        }
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Response(status, body);
    }

    record Part(String name, String filename, byte[] content) {
    }

    /** POSTs one file as multipart/form-data part {@code part}. */
    static Response upload(String path, String credentials, String part, byte[] content, String language)
            throws IOException {
        return uploadParts(path, credentials, List.of(new Part(part, "upload.jpg", content)), language);
    }

    static Response uploadParts(String path, String credentials, List<Part> parts) throws IOException {
        return uploadParts(path, credentials, parts, null);
    }

    static Response uploadParts(String path, String credentials, List<Part> parts, String language)
            throws IOException {
        String boundary = "gatehouse-" + System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) new URL(api(path)).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(5000);
        c.setReadTimeout(60000);
        c.setRequestProperty("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
        if (language != null) {
            c.setRequestProperty("Accept-Language", language);
        }
        try (OutputStream out = c.getOutputStream()) {
            for (Part part : parts) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name()
                        + "\"; filename=\"" + part.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write(part.content());
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // keep polling: the platform is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Timed out after " + timeoutMillis + " ms waiting for: " + what);
    }

    /** The service as registered now (a bundle restart in an earlier test replaces injected ones). */
    /** The seeded demo community's two buildings and a household of building 1, once the seeder has made them. */
    record DemoSite(org.gatehouse.api.model.Community demo, org.gatehouse.api.model.Building building1,
                    org.gatehouse.api.model.Building building2, org.gatehouse.api.model.Unit flat,
                    org.gatehouse.api.model.Household home) {
    }

    /**
     * Waits for the demo community, then its buildings 1 and 2 with flats, then a household in building 1 (the seeder
     * creates them in that order, after the community).
     */
    static DemoSite demoSite(BundleContext context, long communityTimeoutMillis) throws Exception {
        var communities = service(context, org.gatehouse.api.service.CommunityRepository.class);
        var households = service(context, org.gatehouse.api.service.HouseholdRepository.class);
        var all = org.gatehouse.api.service.Scope.all();
        await("demo community", communityTimeoutMillis, () -> communities.communityByCode(all, "SUNSHINE").isPresent());
        var demo = communities.communityByCode(all, "SUNSHINE").orElseThrow();
        await("demo buildings and flats", 60000, () -> communities.buildings(all, demo.id()).stream()
                .filter(b -> b.code().equals("1") || b.code().equals("2"))
                .filter(b -> !communities.units(all, b.id()).isEmpty()).count() == 2);
        var buildings = communities.buildings(all, demo.id());
        var b1 = buildings.stream().filter(b -> b.code().equals("1")).findFirst().orElseThrow();
        var b2 = buildings.stream().filter(b -> b.code().equals("2")).findFirst().orElseThrow();
        var flat = communities.units(all, b1.id()).get(0);
        await("demo households", 60000, () -> households.households(all, demo.id()).stream()
                .anyMatch(h -> h.unitId().equals(flat.id())));
        var home = households.households(all, demo.id()).stream()
                .filter(h -> h.unitId().equals(flat.id())).findFirst().orElseThrow();
        return new DemoSite(demo, b1, b2, flat, home);
    }

    static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        await(type.getSimpleName() + " service", 60000, () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("No bundle " + symbolicName);
    }

    /** Runs a shell command as an administrator and returns what it printed. */
    static String shell(SessionFactory sessionFactory, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("manager"));
        subject.getPrincipals().add(new RolePrincipal("viewer"));
        Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        out.flush();
        if (result != null) {
            out.println(result);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
