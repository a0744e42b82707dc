// MQTT.js at MQTT 5, connected as Zigbee2MQTT connects (client id zigbee2mqtt_<hex>, clean start), for MqttJsV5IT.
//   node mqttjs_client.js PORT pub TOPIC PAYLOAD EXPIRY   publish retained at QoS 1, EXPIRY seconds or - for none
//   node mqttjs_client.js PORT read FILTER...             subscribe to each filter in turn (QoS 1) and print messages
//   node mqttjs_client.js PORT aliases MAX FILTER         as read, allowing the broker MAX topic aliases (MqttJsV5IT)
// Prints one line per event: CONNACK <reason code> | PUBACK ok | SUBACK <filter> <granted QoS or reason code>
// | MESSAGE <topic> <payload> retain=<0|1> expiry=<seconds or none> [alias=<topic alias or none>] | ERROR <what>.
const mqtt = require('mqtt');

const [port, command, ...args] = process.argv.slice(2);
const out = (...words) => console.log(words.join(' '));
const client = mqtt.connect({
  host: '127.0.0.1',
  port: Number(port),
  protocolVersion: 5,
  clean: true,
  clientId: 'zigbee2mqtt_' + Math.floor(Math.random() * 0xffffffff).toString(16),
  reconnectPeriod: 0,
  connectTimeout: 10000,
  properties: command === 'aliases' ? { topicAliasMaximum: Number(args[0]) } : undefined,
});
client.on('error', (e) => {
  out('ERROR', e.message);
  process.exit(2);
});
client.on('message', (topic, payload, packet) => {
  const expiry = packet.properties && packet.properties.messageExpiryInterval;
  const alias = packet.properties && packet.properties.topicAlias;
  const aliasWord = command === 'aliases' ? ['alias=' + (alias ?? 'none')] : [];
  out('MESSAGE', topic, payload.toString(), 'retain=' + (packet.retain ? 1 : 0), 'expiry=' + (expiry ?? 'none'),
    ...aliasWord);
});
client.on('connect', async (connack) => {
  out('CONNACK', connack.reasonCode ?? 0);
  if (command === 'pub') {
    const [topic, payload, expiry] = args;
    const properties = expiry === '-' ? {} : { messageExpiryInterval: Number(expiry) };
    client.publish(topic, payload, { qos: 1, retain: true, properties }, (err) => {
      out('PUBACK', err ? 'error ' + err.message : 'ok');
      client.end(() => process.exit(err ? 1 : 0));
    });
  } else if (command === 'read' || command === 'aliases') {
    for (const filter of command === 'read' ? args : args.slice(1)) {
      const granted = await client.subscribeAsync(filter, { qos: 1 });
      out('SUBACK', filter, granted.map((g) => g.qos).join(','));
    }
  } else {
    out('ERROR unknown command', command);
    process.exit(2);
  }
});
