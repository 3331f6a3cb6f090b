package dev.lsr.viewer.internal.html;

/** The status badge of a run: colour by outcome, a pulsing dot while it is being recorded. */
final class Badges {

    private Badges() {}

    static String status(String status, String stopReason, boolean recording) {
        String kind = switch (status == null ? "" : status) {
            case "completed" -> "ok";
            case "running" -> "running";
            case "cancelled" -> "muted";
            default -> "bad";
        };
        String title = stopReason == null ? "" : " title=\"stop reason: " + Html.text(stopReason) + "\"";
        return "<span class=\"badge " + kind + "\"" + title + ">" + (recording ? "<i class=\"dot\"></i>" : "")
                + Html.text(status == null ? "unknown" : status) + "</span>";
    }
}
