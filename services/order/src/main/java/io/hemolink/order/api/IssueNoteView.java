package io.hemolink.order.api;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.IssueNote;
import io.hemolink.order.domain.Location;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The issue note (出库单) of a dispatched order, as JSON and as a printable bilingual HTML page. */
public record IssueNoteView(String no, String orderId, Priority priority, Destination destination, Instant issuedAt,
                            String issuedBy, List<Bag> bags, int bagCount) {

    public record Destination(String locationId, String name) {
    }

    /** One bag: DIN, component (code and Chinese name), group, quantity in the unit of issue and expiry. */
    public record Bag(int lineNo, String din, Component component, String componentName, Abo abo, RhD rhd, int quantity,
                      Uom uom, Instant expiresAt, boolean irradiated, boolean cmvNegative, boolean lowTitre,
                      List<String> antigenNegative,
                      @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String productCode) {

        static Bag of(int lineNo, io.hemolink.order.domain.AllocatedUnit u) {
            io.hemolink.contracts.blood.UnitAttributes a = u.attributes();
            return new Bag(lineNo, u.din, u.component, u.component.nameZh(), u.abo, u.rhd, u.quantity, u.component.uom(),
                    u.expiresAt, a.irradiated(), a.cmvNegative(), a.lowTitre(), a.antigenNegative(), a.productCode());
        }

        /** The bag's special attributes as printed: 辐照 irradiated, CMV 阴性, 低效价 low titre, antigen-negative. */
        String attributesText() {
            List<String> out = new ArrayList<>();
            if (irradiated) {
                out.add("辐照 irradiated");
            }
            if (cmvNegative) {
                out.add("CMV阴性 CMV-negative");
            }
            if (lowTitre) {
                out.add("低效价 low titre");
            }
            if (!antigenNegative.isEmpty()) {
                out.add("抗原阴性 neg. " + String.join(" ", antigenNegative));
            }
            if (productCode != null) {
                out.add(productCode);
            }
            return String.join("; ", out);
        }
    }

    static IssueNoteView of(IssueNote note, BloodOrder order, Location destination) {
        List<Bag> bags = new ArrayList<>();
        for (BloodOrderLine line : order.lines) {
            line.units.forEach(u -> bags.add(Bag.of(line.lineNo, u)));
        }
        return new IssueNoteView(note.no, order.id, order.priority, new Destination(note.locationId,
                destination == null ? null : destination.name), note.issuedAt, note.issuedBy, bags, bags.size());
    }

    /** A printable page with Chinese and English labels; every value from data is HTML-escaped. */
    String html(ZoneId zone) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>出库单 Issue note ")
                .append(esc(no)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
                        + "width:100%}th,td{border:1px solid #444;padding:4px 6px;text-align:left}th{background:#eee}"
                        + ".sign{margin-top:3em;display:flex;gap:4em}@media print{button{display:none}}</style></head><body>\n")
                .append("<h1>出库单 Issue note</h1>\n<table class=\"head\">\n");
        row(b, "单号 No.", no);
        row(b, "订单号 Order", orderId);
        row(b, "收货单位 Destination", (destination.name() == null ? "" : destination.name() + " ") + "(" + destination.locationId() + ")");
        row(b, "优先级 Priority", priority.name());
        row(b, "出库时间 Issued at", time.format(issuedAt) + " (" + zone.getId() + ")");
        row(b, "发血人 Issued by", issuedBy);
        b.append("</table>\n<h2>血液明细 Bags (").append(bagCount).append(")</h2>\n<table class=\"bags\"><thead><tr>")
                .append("<th>行 Line</th><th>献血条码 DIN</th><th>血液成分 Component</th><th>血型 ABO/RhD</th>")
                .append("<th>数量 Quantity</th><th>失效时间 Expires</th><th>特殊属性 Special</th><th>验收 Accepted</th>")
                .append("</tr></thead><tbody>\n");
        for (Bag bag : bags) {
            b.append("<tr><td>").append(bag.lineNo()).append("</td><td>").append(esc(bag.din())).append("</td><td>")
                    .append(esc(bag.componentName())).append(" ").append(esc(bag.component().nameEn())).append(" (")
                    .append(esc(bag.component().name())).append(")</td><td>").append(esc(bag.abo().name()))
                    .append(esc(bag.rhd().sign())).append("</td><td>").append(bag.quantity()).append(" ")
                    .append(esc(bag.uom().name())).append("</td><td>")
                    .append(bag.expiresAt() == null ? "" : esc(time.format(bag.expiresAt()))).append("</td><td>")
                    .append(esc(bag.attributesText())).append("</td><td>&#9744;</td></tr>\n");
        }
        b.append("</tbody></table>\n<div class=\"sign\"><p>发血人签字 Issued by (signature): ________</p>")
                .append("<p>运送人签字 Carrier (signature): ________</p><p>接收人签字 Received by (signature): ________</p></div>\n")
                .append("<p>运输温度 Transport: 红细胞 red cells 2-10 °C; 血小板 platelets 20-24 °C; 血浆 plasma ≤ -18 °C</p>\n")
                .append("</body></html>\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append("<tr><th>").append(label).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
