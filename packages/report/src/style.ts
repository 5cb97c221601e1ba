/** The page's only stylesheet, inline: readable on a phone, a laptop and paper. */
export const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 Helvetica,Arial,sans-serif;color:#1d1d1f;background:#fff}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.5em;line-height:1.25;margin:.4em 0}
h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .3em}
p,li{overflow-wrap:anywhere}
.answer{font-size:1.15em;background:#f3f6fa;border-left:4px solid #4c78a8;padding:.6em .9em;margin:1em 0}
.muted{color:#555;font-size:.9em}
figure{margin:.6em 0 1.2em;break-inside:avoid;page-break-inside:avoid}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:#444;font-size:.9em;margin-top:.3em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px 24px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.88em;margin:.4em 0 1em}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#fafafa}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.density svg{display:block;width:150px;max-width:none;height:auto}
td.note{min-width:14em;max-width:28em}
code{font-family:Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
dl.manifest{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:.9em}
dl.manifest dt{font-weight:bold}
dl.manifest dd{margin:0;overflow-wrap:anywhere}
.set{color:#a33;font-weight:bold}
@media (max-width:600px){body{font-size:14px}main{padding:10px}dl.manifest{grid-template-columns:1fr}dl.manifest dd{margin-bottom:.4em}}
@media print{
  @page{margin:14mm}
  body{font-size:10.5pt}
  main{max-width:none;padding:0}
  .scroll{overflow:visible}
  h2{break-after:avoid;page-break-after:avoid}
  tr{break-inside:avoid;page-break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;
