package org.gatehouse.gate.isapi.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Talks ISAPI (JSON and XML over HTTP) to one terminal with Digest authentication (MD5): each request is sent, a
 * {@code 401} with a Digest challenge is answered once with the credentials, and a second {@code 401} is
 * {@code AUTH_FAILED}. Every failure is an {@link IsapiException} with a stable code; the password never appears in
 * a message or a log.
 */
public class IsapiClient {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 30;

    private final URI base;
    private final String user;
    private final char[] password;
    private final Duration timeout;
    private final ZoneId zone;
    private final HttpClient http;
    private final AtomicInteger nonceCount = new AtomicInteger();

    public IsapiClient(URI base, String user, char[] password, Duration timeout, ZoneId zone) {
        this.base = base;
        this.user = user;
        this.password = password.clone();
        this.timeout = timeout;
        this.zone = zone;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public ZoneId zone() {
        return zone;
    }

    /** Adds the person ({@code UserInfo/Record}); one the terminal already has is modified ({@code UserInfo/Modify}). */
    public void upsertPerson(IsapiPerson person) {
        ObjectNode info = JSON.createObjectNode();
        info.put("employeeNo", person.employeeNo());
        info.put("name", person.name());
        info.put("userType", "normal");
        ObjectNode valid = info.putObject("Valid");
        valid.put("enable", true);
        valid.put("beginTime", LOCAL.format(person.validFrom()));
        valid.put("endTime", LOCAL.format(person.validUntil()));
        valid.put("timeType", "local");
        info.put("doorRight", String.valueOf(person.doorNo()));
        ArrayNode plan = info.putArray("RightPlan");
        plan.addObject().put("doorNo", person.doorNo()).put("planTemplateNo", "1");
        ObjectNode body = JSON.createObjectNode();
        body.set("UserInfo", info);
        Reply reply = send("POST", "/ISAPI/AccessControl/UserInfo/Record?format=json", body.toString(), false);
        if (reply.status() == 200) {
            requireOk(reply);
            return;
        }
        JsonNode answer = reply.jsonOrNull();
        if (answer != null && "employeeNoAlreadyExist".equalsIgnoreCase(answer.path("subStatusCode").asText())) {
            requireOk(send("PUT", "/ISAPI/AccessControl/UserInfo/Modify?format=json", body.toString(), true));
            return;
        }
        throw failure(reply);
    }

    /** Deletes persons (and with them their cards) by employeeNo. */
    public void deletePersons(List<String> employeeNos) {
        if (employeeNos.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putObject("UserInfoDelCond").putArray("EmployeeNoList");
        employeeNos.forEach(no -> list.addObject().put("employeeNo", no));
        requireOk(send("PUT", "/ISAPI/AccessControl/UserInfo/Delete?format=json", body.toString(), true));
    }

    /** Every employeeNo the terminal holds ({@code UserInfo/Search}, page by page). */
    public List<String> employeeNos() {
        List<String> out = new ArrayList<>();
        int position = 0;
        while (true) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("UserInfoSearchCond").put("searchID", "gatehouse").put("searchResultPosition", position)
                    .put("maxResults", PAGE);
            JsonNode search = send("POST", "/ISAPI/AccessControl/UserInfo/Search?format=json", body.toString(), true)
                    .json().path("UserInfoSearch");
            if (!search.isObject()) {
                throw new IsapiException("MALFORMED", "UserInfo/Search answered without UserInfoSearch");
            }
            JsonNode infos = search.path("UserInfo");
            for (JsonNode info : infos) {
                out.add(info.path("employeeNo").asText());
            }
            position += infos.size();
            if (!"MORE".equalsIgnoreCase(search.path("responseStatusStrg").asText()) || infos.isEmpty()) {
                return out;
            }
        }
    }

    /**
     * Gives a person's face picture to the terminal's face library ({@code FDLib/FDSetUp}, face library 1 of type
     * {@code blackFD}, FPID = employeeNo): multipart with the {@code FaceDataRecord} JSON and the {@code img} JPEG.
     * The same FPID again replaces the picture.
     */
    public void setUpFace(String employeeNo, byte[] jpeg) {
        ObjectNode record = JSON.createObjectNode().put("faceLibType", "blackFD").put("FDID", "1")
                .put("FPID", employeeNo);
        String boundary = "gatehouse" + Long.toHexString(System.nanoTime());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"FaceDataRecord\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + record + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"img\"; filename=\"face.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        requireOk(send("PUT", "/ISAPI/Intelligent/FDLib/FDSetUp?format=json", body.toByteArray(),
                "multipart/form-data; boundary=" + boundary, true));
    }

    /** Deletes face pictures by FPID ({@code FDLib/FDSearch/Delete}); one the terminal does not have is no error. */
    public void deleteFaces(List<String> employeeNos) {
        if (employeeNos.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("FPID");
        employeeNos.forEach(no -> list.addObject().put("value", no));
        requireOk(send("PUT", "/ISAPI/Intelligent/FDLib/FDSearch/Delete?format=json&FDID=1&faceLibType=blackFD",
                body.toString(), true));
    }

    /** Gives a person a card ({@code CardInfo/Record}). */
    public void recordCard(String employeeNo, String cardNo) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("CardInfo").put("employeeNo", employeeNo).put("cardNo", cardNo).put("cardType", "normalCard");
        requireOk(send("POST", "/ISAPI/AccessControl/CardInfo/Record?format=json", body.toString(), true));
    }

    /** Opens door {@code doorNo} ({@code RemoteControl/door/{n}}, XML). */
    public void openDoor(int doorNo) {
        Reply reply = send("PUT", "/ISAPI/AccessControl/RemoteControl/door/" + doorNo,
                "<RemoteControlDoor><cmd>open</cmd></RemoteControlDoor>", true);
        if (reply.body().contains("<statusCode>") && !reply.body().contains("<statusCode>1</statusCode>")) {
            throw new IsapiException("REFUSED", "door " + doorNo + " was not opened: " + snippet(reply.body()));
        }
    }

    /** One page of access events ({@code major} 5) from {@code from} to {@code to}, from {@code position}. */
    public EventPage events(OffsetDateTime from, OffsetDateTime to, int position) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("AcsEventCond").put("searchID", "gatehouse").put("searchResultPosition", position)
                .put("maxResults", PAGE).put("major", 5).put("minor", 0)
                .put("startTime", from.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("endTime", to.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        JsonNode root = send("POST", "/ISAPI/AccessControl/AcsEvent?format=json", body.toString(), true).json();
        JsonNode event = root.path("AcsEvent");
        if (!event.isObject()) {
            throw new IsapiException("MALFORMED", "AcsEvent search answered without AcsEvent");
        }
        List<AcsEventRecord> records = new ArrayList<>();
        for (JsonNode info : event.path("InfoList")) {
            records.add(record(info));
        }
        return new EventPage(records, "MORE".equalsIgnoreCase(event.path("responseStatusStrg").asText()));
    }

    /** One page of events; {@code more}: the terminal has more for the same window. */
    public record EventPage(List<AcsEventRecord> events, boolean more) {
    }

    private AcsEventRecord record(JsonNode info) {
        if (!info.hasNonNull("serialNo") || !info.hasNonNull("time")) {
            throw new IsapiException("MALFORMED", "an access event without serialNo or time");
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(info.get("time").asText());
        } catch (DateTimeParseException e) {
            try {
                time = LocalDateTime.parse(info.get("time").asText()).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException again) {
                throw new IsapiException("MALFORMED", "an access event's time is not a date: " + info.get("time"));
            }
        }
        JsonNode temperature = info.get("currTemperature");
        return new AcsEventRecord(info.get("serialNo").asLong(), time, info.path("major").asInt(),
                info.path("minor").asInt(), info.path("employeeNoString").asText(""), info.path("doorNo").asInt(1),
                info.path("currentVerifyMode").asText(""), info.path("mask").asText(""),
                temperature != null && temperature.isNumber() ? temperature.asDouble() : null);
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                JsonNode node = JSON.readTree(body);
                if (node == null || !node.isObject()) {
                    throw new IsapiException("MALFORMED", "the terminal's answer is not a JSON object: " + snippet(body));
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new IsapiException("MALFORMED", "the terminal's answer is not JSON: " + snippet(body));
            }
        }

        JsonNode jsonOrNull() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }

    private static void requireOk(Reply reply) {
        JsonNode answer = reply.json();
        if (answer.has("statusCode") && answer.get("statusCode").asInt() != 1) {
            throw new IsapiException("REFUSED", answer.path("statusString").asText() + " "
                    + answer.path("subStatusCode").asText());
        }
    }

    private static IsapiException failure(Reply reply) {
        return new IsapiException("HTTP_" + reply.status(), "the terminal answered " + reply.status() + ": "
                + snippet(reply.body()));
    }

    private Reply send(String method, String pathAndQuery, String body, boolean requireSuccess) {
        return send(method, pathAndQuery, body.getBytes(StandardCharsets.UTF_8),
                body.startsWith("<") ? "application/xml" : "application/json", requireSuccess);
    }

    /** Sends with Digest authentication; {@code requireSuccess}: anything but 2xx is an exception. */
    private Reply send(String method, String pathAndQuery, byte[] body, String contentType, boolean requireSuccess) {
        HttpResponse<String> first = exchange(method, pathAndQuery, body, contentType, null);
        HttpResponse<String> response = first;
        if (first.statusCode() == 401) {
            DigestAuth.Challenge challenge;
            try {
                challenge = DigestAuth.parseChallenge(first.headers().firstValue("WWW-Authenticate").orElse(null));
            } catch (IllegalArgumentException e) {
                throw new IsapiException("AUTH_FAILED", e.getMessage());
            }
            String authorization = challenge.authorization(user, new String(password), method, pathAndQuery,
                    nonceCount.incrementAndGet());
            response = exchange(method, pathAndQuery, body, contentType, authorization);
            if (response.statusCode() == 401) {
                throw new IsapiException("AUTH_FAILED", "the terminal refused user '" + user + "' (wrong password?)");
            }
        }
        Reply reply = new Reply(response.statusCode(), response.body() == null ? "" : response.body());
        if (requireSuccess && (reply.status() < 200 || reply.status() >= 300)) {
            throw failure(reply);
        }
        return reply;
    }

    private HttpResponse<String> exchange(String method, String pathAndQuery, byte[] body, String contentType,
                                          String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IsapiException("TIMEOUT", method + " " + path(pathAndQuery) + " got no answer within "
                    + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new IsapiException("UNREACHABLE", "cannot connect to " + base);
        } catch (IOException e) {
            throw new IsapiException("UNREACHABLE", method + " " + path(pathAndQuery) + " to " + base + " failed: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsapiException("UNREACHABLE", "interrupted");
        }
    }

    private static String path(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    static String snippet(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

}
