/** The report page's style sheet, inlined in a <style> element (the page loads nothing). */
export const CSS = `
:root{--create:#1a7f37;--change:#9a6700;--remove:#cf222e;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.lead{font-size:16px;margin:4px 0 8px}
.muted{color:var(--muted)}.warn{color:var(--remove)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;background:var(--soft);padding:1px 4px;border-radius:4px;word-break:break-all}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:10px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:130px;background:var(--soft)}
.card b{display:block;font-size:22px}.card span{color:var(--muted)}
.card.create b{color:var(--create)}.card.change b{color:var(--change)}.card.remove b{color:var(--remove)}
.tables{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.n{text-align:right;font-variant-numeric:tabular-nums}
.sign{font-weight:700;text-align:center;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace}
.create{color:var(--create)}.change{color:var(--change)}.remove{color:var(--remove)}
.warnings{margin:12px 0;border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:6px 12px}
.notice{border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:8px 12px}
.legend{color:var(--muted)}
.unit-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:10px}
.unit{display:grid;grid-template-columns:1fr auto minmax(170px,0.8fr);align-items:center;gap:8px;border:1px solid var(--line);border-radius:8px;padding:8px;background:var(--soft)}
.unit[hidden]{display:none}
.sources{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}
.chip{display:inline-block;border:1px solid #8c959f;border-radius:6px;padding:2px 8px;background:#fff}
.chip.part{border-style:dashed;background:repeating-linear-gradient(135deg,#fff,#fff 6px,#eef1f4 6px,#eef1f4 12px)}
.chip.none{color:var(--muted);border-style:dotted}
.code{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;color:var(--muted)}
.badge{display:inline-block;font-size:11px;border-radius:10px;padding:0 6px;background:#ddf4ff;color:#0969da;margin-left:2px}
.badge.split{background:#ffebe9;color:var(--remove)}
.arrow{font-size:20px;color:var(--muted)}
.target{display:flex;gap:8px;align-items:center;border:2px solid var(--fg);border-radius:8px;padding:6px 10px;background:#fff}
.unit.u-create .target{border-color:var(--create)}.unit.u-change .target{border-color:var(--change)}.unit.u-keep .target{border-color:#8c959f}
.target .sign{font-size:20px;min-width:14px}
.target .name{font-weight:600}.target .meta{font-size:12px;color:var(--muted)}
button.link{border:0;background:none;color:#0969da;padding:0;cursor:pointer;font:inherit;text-decoration:underline}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0;position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:1}
.filters input,.filters select,.filters button{font:inherit;padding:3px 6px}
#ops{width:100%;font-size:13px}
#ops td:nth-child(2){white-space:nowrap}#ops td:nth-child(3){min-width:170px}
#ops summary{cursor:pointer}#ops details[open] summary{margin-bottom:4px}
#ops dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0 0 4px 14px;color:var(--muted)}#ops dd{margin:0}
#ops .raw{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-word}
#ops tbody tr:nth-child(even){background:var(--soft)}
footer{margin:30px auto;font-size:12px}
nav{margin:6px 0 0}nav a{color:#0969da}
#units-all>summary{cursor:pointer;color:#0969da;margin:6px 0}
`
