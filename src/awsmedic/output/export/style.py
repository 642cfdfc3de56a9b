"""The HTML transcript's only style sheet, inlined: no fonts, images or imports to fetch."""

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --warn: #9a6700; --warn-bg: #fff8c5; --info: #0969da; --info-bg: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .88em; }
code { background: var(--soft); border-radius: 4px; padding: .1em .3em; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .75rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0;
  color: var(--muted); font-size: .9rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.verdict { border-left: 4px solid var(--info); background: var(--info-bg); padding: .5rem .9rem;
  border-radius: 0 6px 6px 0; }
.verdict.stalled { border-color: var(--warn); background: var(--warn-bg); }
.badge { display: inline-block; border-radius: 1em; padding: 0 .55em; font-size: .8rem;
  font-weight: 600; border: 1px solid currentColor; }
.st-ok { color: var(--ok); } .st-problem { color: var(--bad); }
.st-skipped { color: var(--muted); } .st-error { color: var(--warn); }
ol.steps > li { margin: .35rem 0; }
ol.steps > li > p { margin: .2rem 0; }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
ol.timeline > li { display: grid; grid-template-columns: 4.6rem 1fr; gap: .5rem;
  padding: .15rem 0 .15rem 1rem; }
ol.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
details > summary { cursor: pointer; }
details dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem;
  margin: .3rem 0 .5rem 1rem; font-size: .9rem; }
details dt { color: var(--muted); }
details dd { margin: 0; }
figure.path { margin: .5rem 0; overflow-x: auto; }
svg.diagram { max-width: 100%; height: auto; font-size: 13px; }
svg.diagram rect { fill: var(--soft); stroke: var(--line); stroke-width: 1.5; }
svg.diagram .hop-probe.st-ok rect { fill: var(--ok-bg); stroke: var(--ok); }
svg.diagram .hop-probe.st-problem rect { fill: var(--bad-bg); stroke: var(--bad); }
svg.diagram .hop-probe.st-error rect, svg.diagram .hop-stop rect {
  fill: var(--warn-bg); stroke: var(--warn); }
svg.diagram .hop-question rect { fill: #fbefff; stroke: #8250df; }
svg.diagram .hop-cause rect { fill: var(--info-bg); stroke: var(--info); stroke-width: 2.5; }
svg.diagram text { fill: var(--ink); font-family: system-ui, sans-serif; }
svg.diagram text.kind { fill: var(--muted); font-size: 10px; letter-spacing: .06em; }
svg.diagram .edge line { stroke: var(--muted); stroke-width: 1.5; }
svg.diagram .edge polygon { fill: var(--muted); }
svg.diagram .edge text { fill: var(--muted); font-family: ui-monospace, monospace;
  font-size: 12px; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  pre, figure, ol.timeline > li, ol.steps > li { break-inside: avoid; }
  pre { white-space: pre-wrap; }
  a { color: inherit; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; color: var(--muted); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media print { details::details-content { content-visibility: visible; display: block; } }
@media print { details > summary { list-style: none; } }
""".strip()
