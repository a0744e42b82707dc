package dev.drawbridge.broker.console;

import dev.drawbridge.broker.console.BrokerView.ClientRow;
import dev.drawbridge.broker.console.BrokerView.Figures;
import java.util.List;
import java.util.StringJoiner;

/** The JSON the console's script reads: the overview's figures, the client list and the log lines. */
final class ConsoleJson {

    private ConsoleJson() {}

    static String figures(Figures f) {
        return "{\"at\":" + f.at().toEpochMilli()
                + ",\"uptime\":" + Json.string(Pages.uptime(f.uptime()))
                + ",\"clients\":" + f.clientsConnected()
                + ",\"sessions\":" + f.sessions()
                + ",\"subscriptions\":" + f.subscriptions()
                + ",\"retained\":" + f.retained()
                + ",\"received\":" + f.messagesReceived()
                + ",\"sent\":" + f.messagesSent()
                + ",\"dropped\":" + f.dropped()
                + ",\"store\":"
                + Json.string(
                        f.storeBytes().isPresent() ? Pages.bytes(f.storeBytes().getAsLong()) : "not persisted")
                + "}";
    }

    static String clients(List<ClientRow> rows) {
        StringJoiner all = new StringJoiner(",", "{\"clients\":[", "]}");
        for (ClientRow r : rows) {
            all.add("{\"id\":" + Json.string(r.clientId())
                    + ",\"name\":" + Json.string(r.name())
                    + ",\"address\":" + Json.string(r.address())
                    + ",\"listener\":" + Json.string(r.listener())
                    + ",\"protocol\":" + Json.string(r.protocol())
                    + ",\"since\":"
                    + Json.string(r.connectedSince().map(Pages::time).orElse(""))
                    + ",\"subscriptions\":" + r.subscriptions()
                    + ",\"queued\":" + r.queued() + "}");
        }
        return all.toString();
    }

    static String log(List<LogRing.Line> lines) {
        StringJoiner all = new StringJoiner(",", "{\"lines\":[", "]}");
        for (LogRing.Line l : lines) {
            all.add("{\"time\":" + Json.string(Pages.time(l.time()))
                    + ",\"level\":" + Json.string(l.level())
                    + ",\"logger\":" + Json.string(l.logger())
                    + ",\"message\":" + Json.string(l.message()) + "}");
        }
        return all.toString();
    }
}
