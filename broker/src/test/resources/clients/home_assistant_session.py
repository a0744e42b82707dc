"""Home Assistant's MQTT session, as its mqtt integration runs it with paho-mqtt at MQTTv5 (HomeAssistantSessionIT).

Arguments: host port username password client_id. Prints one line per event, flushed, for the test to read:
  PAHO <version> | CONNACK <reason> session_present=<0|1> | SUBACK <reason codes> | MESSAGE <topic> <payload>
  retain=<0|1> expiry=<seconds or None> | PUBLISHED <topic> | DISCONNECTED <reason> | READY
then waits to be killed: the test cuts the connection with SIGKILL, so the broker must publish the will.
"""
import sys
import threading

import paho.mqtt
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

host, port, username, password, client_id = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
WAIT = 15
connected = threading.Event()
subscribed = threading.Event()
disconnected = threading.Event()


OUT = threading.Lock()


def out(*words):
    # paho's network thread and the main thread both print: one whole line at a time, never interleaved.
    with OUT:
        sys.stdout.write(" ".join(str(w) for w in words) + "\n")
        sys.stdout.flush()


def on_connect(client, userdata, flags, reason, properties):
    out("CONNACK", reason, "session_present=%d" % flags["session present"])
    if reason.value < 0x80:
        connected.set()


def on_subscribe(client, userdata, mid, reasons, properties):
    out("SUBACK", " ".join(str(r.value) for r in reasons))
    subscribed.set()


def on_message(client, userdata, message):
    expiry = getattr(message.properties, "MessageExpiryInterval", None) if message.properties else None
    out("MESSAGE", message.topic, message.payload.decode(), "retain=%d" % message.retain, "expiry=%s" % expiry)


def on_disconnect(client, userdata, reason, properties=None):
    out("DISCONNECTED", reason)
    disconnected.set()


def must(event, what):
    if not event.wait(WAIT):
        out("TIMEOUT", what)
        sys.exit(2)


def session_start(client):
    """What Home Assistant does once connected: birth message, then its discovery and state subscriptions."""
    client.publish("homeassistant/status", "online", qos=1, retain=True).wait_for_publish(WAIT)
    subscribed.clear()
    client.subscribe([
        ("homeassistant/+/+/config", 0),
        ("homeassistant/+/+/+/config", 0),
        ("homeassistant/status", 1),
        ("drawbridge/garage/state", 1),
    ])
    must(subscribed, "SUBACK")


out("PAHO", paho.mqtt.__version__)
client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
client.username_pw_set(username, password)
client.will_set("homeassistant/status", "offline", qos=1, retain=True)
client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.on_disconnect = on_disconnect

client.connect(host, port, keepalive=60, clean_start=True)
client.loop_start()
must(connected, "CONNACK")
session_start(client)

# A command with a message expiry: stale if nobody takes it within 30 s (an MQTT 5 feature HA's services offer).
expiring = Properties(PacketTypes.PUBLISH)
expiring.MessageExpiryInterval = 30
client.publish("drawbridge/garage/set", "OPEN", qos=1, properties=expiring).wait_for_publish(WAIT)
out("PUBLISHED drawbridge/garage/set")

# A reconnect, as after a restart of the integration: a normal DISCONNECT (no will), then a new clean session.
client.disconnect()
must(disconnected, "DISCONNECT")
client.loop_stop()
connected.clear()
client.reconnect()
client.loop_start()
must(connected, "CONNACK after the reconnect")
session_start(client)
out("READY")
threading.Event().wait()
