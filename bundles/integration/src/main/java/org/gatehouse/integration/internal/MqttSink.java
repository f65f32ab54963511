package org.gatehouse.integration.internal;

import java.util.Properties;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes each event on the target's topic ({@code {community}} replaced) at QoS 1 with one Paho client per target
 * (client id {@code gatehouse-<target>} unless configured), connected on first use and again after a loss; user name,
 * password and a trust store for {@code ssl://} as configured. {@link #send} returns once the broker acknowledged.
 */
public final class MqttSink implements FeedSink {
    private final TargetSpec spec;
    private MqttClient client;

    public MqttSink(TargetSpec spec) {
        this.spec = spec;
    }

    @Override
    public void send(Outgoing event) throws MqttException {
        publish(spec.topic().replace("{community}", event.communityId()), event);
    }

    @Override
    public void notify(String topic, Outgoing notification) throws MqttException {
        publish(topic, notification);
    }

    private synchronized void publish(String topic, Outgoing event) throws MqttException {
        MqttMessage message = new MqttMessage(event.body());
        message.setQos(1);
        message.setRetained(false);
        connected().publish(topic, message);
    }

    private MqttClient connected() throws MqttException {
        if (client == null) {
            client = new MqttClient(spec.brokerUrl(), spec.clientId(), new MemoryPersistence());
            client.setTimeToWait(spec.timeout().toMillis());
        }
        if (!client.isConnected()) {
            client.connect(options());
        }
        return client;
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
        if (spec.brokerUrl().startsWith("ssl://") && !spec.trustStore().isEmpty()) {
            Properties ssl = new Properties();
            ssl.setProperty("com.ibm.ssl.trustStore", spec.trustStore());
            ssl.setProperty("com.ibm.ssl.trustStoreType", spec.trustStoreType());
            if (spec.trustStorePassword().length > 0) {
                ssl.setProperty("com.ibm.ssl.trustStorePassword", new String(spec.trustStorePassword()));
            }
            o.setSSLProperties(ssl);
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
