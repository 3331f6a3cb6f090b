package dev.lsr.viewer.internal.html;

/**
 * The page around every view: head, the vendored stylesheet and script (served by the viewer itself,
 * nothing from a CDN), a header, and the live region that the script refreshes.
 */
public final class Layout {

    private Layout() {}

    /**
     * @param title    already escaped
     * @param events   the event stream a live page listens to, or null for a page that never changes
     * @param fragment where the live region's fresh content comes from, or null
     * @param live     the live region's HTML
     */
    public static String page(String title, String events, String fragment, String live) {
        StringBuilder html = new StringBuilder(live.length() + 2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(title)
                .append(" \u00b7 Letta Stream Recorder</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/viewer.css\">\n")
                .append("<script src=\"/static/viewer.js\" defer></script>\n</head>\n<body");
        if (events != null && fragment != null) {
            html.append(" data-events=\"")
                    .append(Html.escape(events))
                    .append("\" data-fragment=\"")
                    .append(Html.escape(fragment))
                    .append('"');
        }
        html.append(">\n<header class=\"top\"><a class=\"brand\" href=\"/\">Letta Stream Recorder</a>")
                .append("<span class=\"sub\">run viewer</span>")
                .append("<span id=\"live-state\" class=\"live-state\" hidden>live</span></header>\n")
                .append("<main id=\"live\">")
                .append(live)
                .append("</main>\n</body>\n</html>\n");
        return html.toString();
    }
}
