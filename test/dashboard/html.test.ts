import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, html, page, raw, SafeHtml } from "../../src/dashboard/html.js";

describe("dashboard html", () => {
  it("escapes every interpolated value", () => {
    const evil = `<script>alert("x")</script>' onmouseover='y' \`z\` &amp;`;
    const out = html`<td title="${evil}">${evil}</td>`.value;
    assert.ok(!out.includes("<script>"));
    assert.ok(!out.includes(`"x"`));
    assert.equal(
      out,
      `<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &#96;z&#96; &amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &#96;z&#96; &amp;amp;</td>`,
    );
  });

  it("cannot break out of a quoted attribute", () => {
    const out = html`<a href="${'/x" onclick="alert(1)'}">x</a>`.value;
    assert.equal(out, `<a href="/x&quot; onclick=&quot;alert(1)">x</a>`);
  });

  it("nests templates without double escaping, joins arrays, drops empty values", () => {
    const items = ["<a>", "b&c"].map((s) => html`<li>${s}</li>`);
    assert.equal(
      html`<ul>${items}${undefined}${null}${false}</ul>`.value,
      "<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>",
    );
    assert.equal(html`${0}${"0"}`.value, "00");
  });

  it("escapes objects and strings that look like SafeHtml", () => {
    assert.equal(html`${{ value: "<b>" }}`.value, "{&quot;value&quot;:&quot;&lt;b&gt;&quot;}");
    assert.equal(html`${raw("<b>ok</b>")}`.value, "<b>ok</b>");
    assert.ok(html`x` instanceof SafeHtml);
  });

  it("escapeHtml covers the five specials and backtick", () => {
    assert.equal(escapeHtml(`&<>"'\``), "&amp;&lt;&gt;&quot;&#39;&#96;");
  });

  it("page escapes the title", () => {
    const out = page({ base: "", title: "<img src=x onerror=alert(1)>", body: html`` });
    assert.ok(out.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.ok(!out.includes("<img"));
  });
});
