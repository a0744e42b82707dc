package dev.drawbridge.broker.console;

/**
 * The topics page: the retained messages as a tree with a prefix search, and a live view of a topic filter. The server
 * renders the frame; {@code topics.js} fills it from {@code /api/topics} and {@code /api/live}.
 */
final class TopicsPage {

    private TopicsPage() {}

    static String render(String csrf, String user) {
        StringBuilder b = Pages.page("Topics", "topics", csrf, user, "topics.js");
        b.append("<h1>Topics</h1>")
                .append("<section class=\"topics\"><h2>Retained messages</h2>")
                .append("<form id=\"prefix-form\" class=\"search\">")
                .append("<input name=\"prefix\" id=\"prefix\" placeholder=\"topic prefix, e.g. zigbee2mqtt/living"
                        + " or $SYS\" autocomplete=\"off\"><button type=\"submit\">Find</button>"
                        + "<button type=\"button\" id=\"prefix-clear\">Tree</button></form>")
                .append("<p class=\"problem\" id=\"prefix-error\" hidden></p>")
                .append("<p class=\"sub\" id=\"tree-total\"></p>")
                .append("<ul id=\"tree\" class=\"tree\"></ul>")
                .append("<ul id=\"found\" class=\"tree\" hidden></ul></section>")
                .append("<section class=\"topics\"><h2>Live view</h2>")
                .append("<form id=\"live-form\" class=\"search\">")
                .append("<input name=\"filter\" id=\"filter\" placeholder=\"topic filter, e.g. home/# or"
                        + " +/temperature\" autocomplete=\"off\"><button type=\"submit\" id=\"live-start\">Watch"
                        + "</button><button type=\"button\" id=\"live-stop\">Stop</button></form>")
                .append("<p class=\"problem\" id=\"live-error\" hidden></p>")
                .append("<p class=\"sub\"><span id=\"live-state\">Not watching.</span>"
                        + " <span id=\"live-dropped\"></span></p>")
                .append("<table id=\"live\"><thead><tr><th>Time</th><th>Topic</th><th>Size</th>"
                        + "<th>Payload</th></tr></thead><tbody></tbody></table></section>");
        return Pages.end(b);
    }
}
