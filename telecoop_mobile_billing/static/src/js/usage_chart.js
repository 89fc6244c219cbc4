// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(tag, attributes = {}, text = null) {
    const element = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) {
        element.setAttribute(name, value);
    }
    if (text !== null) {
        element.textContent = text;
    }
    return element;
}

/**
 * Draw the monthly history of a line: data used (bars, left scale in GB)
 * and the amount of the month (line and dots, right scale), from the page's
 * own data (``data-history``): no request, nothing but the member's figures.
 * The server writes every word and number shown (axis titles, scale, tooltips)
 * in the reader's language: ``{axes, scale, months}``; this only draws.
 */
export function drawUsageChart(container, chart) {
    container.replaceChildren();
    const history = chart.months || [];
    if (!history.length) {
        return null;
    }
    const axes = chart.axes || {};
    const scale = chart.scale || {};
    const width = 640;
    const height = 240;
    const pad = { top: 20, right: 50, bottom: 30, left: 50 };
    const plotWidth = width - pad.left - pad.right;
    const plotHeight = height - pad.top - pad.bottom;
    const maxData = scale.data || 1;
    const maxAmount = scale.amount || 1;
    const step = plotWidth / history.length;
    const svg = svgElement("svg", {
        viewBox: `0 0 ${width} ${height}`,
        width: "100%",
        role: "img",
        class: "o_telecoop_chart_svg",
    });
    svg.append(svgElement("title", {}, chart.title || ""));
    const yData = (v) => pad.top + plotHeight - (v / maxData) * plotHeight;
    const yAmount = (v) => pad.top + plotHeight - (v / maxAmount) * plotHeight;
    svg.append(
        svgElement("line", {
            x1: pad.left,
            y1: pad.top + plotHeight,
            x2: pad.left + plotWidth,
            y2: pad.top + plotHeight,
            stroke: "#999",
        })
    );
    svg.append(
        svgElement(
            "text",
            { x: 4, y: 14, "font-size": 11, fill: "#2c7a7b", class: "o_telecoop_chart_axis_data" },
            axes.data || ""
        )
    );
    svg.append(
        svgElement(
            "text",
            {
                x: width - 4,
                y: 14,
                "font-size": 11,
                fill: "#c05621",
                "text-anchor": "end",
                class: "o_telecoop_chart_axis_amount",
            },
            axes.amount || ""
        )
    );
    svg.append(
        svgElement("text", { x: 4, y: pad.top + 10, "font-size": 10 }, scale.data_label || "")
    );
    svg.append(
        svgElement(
            "text",
            { x: width - 4, y: pad.top + 10, "font-size": 10, "text-anchor": "end" },
            scale.amount_label || ""
        )
    );
    const points = [];
    history.forEach((month, index) => {
        const x = pad.left + index * step;
        const barWidth = Math.max(step * 0.6, 2);
        const top = yData(month.data_gb);
        const bar = svgElement("rect", {
            x: x + (step - barWidth) / 2,
            y: top,
            width: barWidth,
            height: pad.top + plotHeight - top,
            fill: "#38b2ac",
            class: "o_telecoop_chart_bar",
        });
        bar.append(svgElement("title", {}, month.title || month.label || month.month));
        svg.append(bar);
        svg.append(
            svgElement(
                "text",
                {
                    x: x + step / 2,
                    y: height - 10,
                    "font-size": 10,
                    "text-anchor": "middle",
                },
                month.label || month.month
            )
        );
        points.push([x + step / 2, yAmount(month.amount)]);
    });
    svg.append(
        svgElement("polyline", {
            points: points.map(([x, y]) => `${x},${y}`).join(" "),
            fill: "none",
            stroke: "#c05621",
            "stroke-width": 2,
        })
    );
    for (const [x, y] of points) {
        svg.append(svgElement("circle", { cx: x, cy: y, r: 3, fill: "#c05621" }));
    }
    container.append(svg);
    return svg;
}

export class TelecoopUsageChart extends Interaction {
    static selector = ".o_telecoop_usage_chart";

    start() {
        let chart = {};
        try {
            chart = JSON.parse(this.el.dataset.history || "{}");
        } catch {
            chart = {};
        }
        drawUsageChart(this.el, chart);
    }
}

registry.category("public.interactions").add("telecoop_mobile_billing.usage_chart", TelecoopUsageChart);
