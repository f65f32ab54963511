package org.gatehouse.integration.internal;

import java.io.IOException;
import java.net.URI;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes each event on the target's topic ({@code {community}} replaced) at QoS 1 with one Paho client per target
 * (client id {@code gatehouse-<target>} unless configured), connected on first use and again after a loss; user name,
 * password as configured. Over {@code ssl://} the broker must present a certificate for its host name signed by a CA
 * of the target's {@code trustStore} (the JVM's CAs without one). {@link #send} returns once the broker acknowledged;
 * a connection that fails says why (credentials refused, certificate not trusted, not reachable).
 */
public final class MqttSink implements FeedSink {
    private final TargetSpec spec;
    private MqttClient client;

    public MqttSink(TargetSpec spec) {
        this.spec = spec;
    }

    @Override
    public void send(Outgoing event) throws MqttException, IOException {
        publish(spec.topic().replace("{community}", event.communityId()), event);
    }

    @Override
    public void notify(String topic, Outgoing notification) throws MqttException, IOException {
        publish(topic, notification);
    }

    private synchronized void publish(String topic, Outgoing event) throws MqttException, IOException {
        MqttMessage message = new MqttMessage(event.body());
        message.setQos(1);
        message.setRetained(false);
        connected().publish(topic, message);
    }

    private MqttClient connected() throws MqttException, IOException {
        if (client == null) {
            client = new MqttClient(spec.brokerUrl(), spec.clientId(), new MemoryPersistence());
            client.setTimeToWait(spec.timeout().toMillis());
        }
        if (!client.isConnected()) {
            try {
                client.connect(options());
            } catch (MqttException e) {
                close(); // a fresh client on the next attempt
                throw new IOException(describe() + " cannot connect: " + explain(e), e);
            }
        }
        return client;
    }

    /** Why a connection failed, in the operator's words: credentials refused, TLS not trusted, not reachable. */
    private String explain(MqttException e) {
        String user = spec.username().isEmpty() ? "no username" : "username '" + spec.username() + "'";
        String host = URI.create(spec.brokerUrl()).getHost();
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION ->
                    "the broker refused the user name or password (" + user + "; check username and password or "
                            + "passwordFile)";
            case MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    "the broker refused the connection: not authorized (" + user + "; check username and password "
                            + "or passwordFile)";
            default -> (e.getCause() != null ? Tls.reason(e.getCause()) : e.getMessage() + " (" + e.getReasonCode() + ")")
                    + Tls.hint(e, host, spec.trustStore());
        };
    }

    MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false); // a failed publish fails the delivery; the next attempt connects again
        o.setConnectionTimeout((int) Math.max(1, spec.timeout().toSeconds()));
        if (!spec.username().isEmpty()) {
            o.setUserName(spec.username());
        }
        if (spec.password() != null && spec.password().length > 0) {
            o.setPassword(spec.password());
        }
        if (spec.brokerUrl().startsWith("ssl://")) {
            // the configured trust store's CAs, or the JVM's; Paho checks the host name (HTTPS endpoint identification)
            o.setSocketFactory(spec.tls() != null ? spec.tls().getSocketFactory() : SSLSocketFactory.getDefault());
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect(1000);
                }
                client.close();
            } catch (MqttException e) {
                // going away anyway
            }
            client = null;
        }
    }

    @Override
    public String describe() {
        return "mqtt:" + spec.brokerUrl() + "/" + spec.topic();
    }
}
