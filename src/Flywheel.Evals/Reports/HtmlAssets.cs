namespace Flywheel.Evals.Reports;

/// <summary>The HTML report's inline style sheet, script and security policy: everything the page needs, nothing it fetches.</summary>
internal static class HtmlAssets
{
    /// <summary>Allows only what is inline: the page can make no request, even if some data escaped encoding.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    // Colours always travel with a text label (✓ passed, ✗ failed, ▲ +2.0 pt), so the page reads the same in greyscale.
    public const string Style = """
        :root{--ok:#1a7f37;--bad:#c5221f;--warn:#8a5a00;--mute:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--ci:#a8cdfb;--pt:#0b4da2;--ink:#1f2328}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;color:var(--ink);background:#fff;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
        main,.top{max-width:1440px;margin:0 auto;padding:0 24px}
        code,.mono{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
        a{color:#0b57d0}
        header.v{border-bottom:4px solid var(--mute);background:var(--soft);padding:18px 0 14px;margin-bottom:8px}
        header.v-failed{border-color:var(--bad);background:#fff1f0}
        header.v-passed{border-color:var(--ok);background:#effaf1}
        header.v-error{border-color:var(--warn);background:#fff8e1}
        .badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:700;font-size:12px;letter-spacing:.06em;background:var(--mute)}
        .v-failed .badge{background:var(--bad)}.v-passed .badge{background:var(--ok)}.v-error .badge{background:var(--warn)}
        h1{font-size:21px;line-height:1.3;margin:6px 0 4px}
        h2{font-size:17px;margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
        h2 .n{color:var(--mute);font-weight:400}
        .meta,.note,.sub{color:var(--mute)}
        .meta{margin:0}
        nav.toc{margin:10px 0 0;font-size:13px}
        nav.toc a{margin-right:14px;white-space:nowrap}
        .ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}.mute{color:var(--mute)}
        .st{font-weight:600;white-space:nowrap}
        table{border-collapse:collapse;width:100%}
        th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
        thead th{position:sticky;top:0;background:#fff;z-index:1;border-bottom:2px solid var(--line);font-size:12.5px;white-space:nowrap}
        tbody tr:hover{background:#f9fbfd}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        caption{caption-side:bottom;text-align:left;color:var(--mute);font-size:12px;padding-top:6px}
        tr.g-bad>th{box-shadow:inset 4px 0 var(--bad)}
        tr.g-warn>th{box-shadow:inset 4px 0 var(--warn)}
        th[scope=row]{font-weight:400}
        button.sort{all:unset;cursor:pointer;font-weight:600;border-radius:3px}
        button.sort:focus-visible{outline:2px solid #0b57d0}
        th[aria-sort=ascending] button.sort::after{content:" ▲"}
        th[aria-sort=descending] button.sort::after{content:" ▼"}
        .rate{font-weight:600;font-variant-numeric:tabular-nums}
        .bar{position:relative;height:12px;margin:4px 0 2px;background:var(--soft);border:1px solid var(--line);border-radius:2px}
        .bar.w{width:200px}.bar.s{width:104px}
        .bar i{position:absolute;display:block}
        .bar .ci{top:1px;bottom:1px;background:var(--ci)}
        .bar .pt{top:-3px;bottom:-3px;width:3px;margin-left:-1px;background:var(--pt)}
        .bar .th{top:-5px;bottom:-5px;width:0;margin-left:-1px;border-left:2px solid var(--ink)}
        .bar .th.drop{border-left:2px dashed var(--warn)}
        .sub{font-size:11.5px;white-space:nowrap}
        .d-up{color:var(--ok)}.d-down{color:var(--bad)}.d-flat{color:var(--mute)}
        .controls{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:6px 0 8px}
        .controls input{font:inherit;padding:4px 8px;min-width:300px;border:1px solid #8c959f;border-radius:4px}
        .controls button{font:inherit;font-size:12.5px;padding:3px 10px;border:1px solid #8c959f;border-radius:4px;background:#fff;cursor:pointer}
        table.gates td:last-child{min-width:320px}
        details.f{border:1px solid var(--line);border-radius:4px;margin:4px 0;content-visibility:auto;contain-intrinsic-size:auto 66px}
        details.f[open]{contain-intrinsic-size:auto 420px}
        details.f>summary{cursor:pointer;padding:5px 10px}
        details.f[open]>summary{background:var(--soft);border-bottom:1px solid var(--line)}
        .tg{color:var(--mute);font-size:12px}
        .why{display:block;font-size:12.5px;color:#3d444d}
        dl.fb{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:0;padding:10px 12px}
        dl.fb dt{font-weight:600;color:var(--mute);font-size:12.5px}
        dl.fb dd{margin:0;min-width:0}
        dl.fb p{margin:0 0 4px;white-space:pre-wrap;overflow-wrap:anywhere}
        dl.fb p>b:first-child{font-weight:600;color:var(--mute)}
        ul.sc{margin:0;padding:0;list-style:none}
        ul.sc li{margin:0 0 4px;overflow-wrap:anywhere}
        ul.more{font-size:12.5px;padding-left:18px;margin:0;content-visibility:auto;contain-intrinsic-size:auto 5200px}
        ul.more li{margin-bottom:2px;overflow-wrap:anywhere}
        ul.more b{color:var(--bad)}ul.more b.warn{color:var(--warn)}
        .trend{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px 18px}
        .trend figure{margin:0;border:1px solid var(--line);border-radius:4px;padding:6px 8px;min-width:0}
        .trend figcaption{font-size:12px;display:flex;flex-wrap:wrap;gap:0 8px}.trend figcaption code{overflow-wrap:anywhere;min-width:0}.trend figcaption span{margin-left:auto;white-space:nowrap}
        .trend svg{display:block;width:100%;height:auto}
        .trend svg text{font:10px system-ui,sans-serif;fill:var(--mute)}
        table.kv th{width:190px;color:var(--mute);font-weight:600}
        h3{font-size:14px;margin:18px 0 6px}
        .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        [hidden]{display:none!important}
        @media print{
          body{font-size:11px}
          main,.top{max-width:none;padding:0}
          header.v,.badge,.bar i{-webkit-print-color-adjust:exact;print-color-adjust:exact}
          .controls,nav.toc,.fl-link{display:none!important}
          thead th{position:static}
          tr,figure,details.f{break-inside:avoid}
          details.f{content-visibility:visible}
          a{color:inherit;text-decoration:none}
          h2{break-after:avoid}
        }
        """;

    // Sort, filter and expand; every feature also works (or is simply absent) without the script: <details> expands natively.
    public const string Script = """
        (function(){
        "use strict";
        var d=document;
        function each(list,f){Array.prototype.forEach.call(list,f);}
        function key(cell){var v=cell.getAttribute("data-v");if(v===null)return cell.textContent.trim().toLowerCase();return v===""?null:parseFloat(v);}
        each(d.querySelectorAll("table.sortable"),function(table){
          var heads=table.tHead.rows[0].cells,body=table.tBodies[0];
          each(heads,function(th,i){
            var b=th.querySelector("button.sort");if(!b)return;
            b.addEventListener("click",function(){
              var asc=th.getAttribute("aria-sort")!=="ascending";
              each(heads,function(h){if(h.hasAttribute("aria-sort"))h.setAttribute("aria-sort","none");});
              th.setAttribute("aria-sort",asc?"ascending":"descending");
              var rows=Array.prototype.slice.call(body.rows);
              rows.sort(function(x,y){
                var a=key(x.cells[i]),c=key(y.cells[i]);
                if(a===null||c===null)return a===c?0:(a===null?1:-1);
                var r=typeof a==="number"&&typeof c==="number"?a-c:String(a).localeCompare(String(c));
                return asc?r:-r;});
              var frag=d.createDocumentFragment();rows.forEach(function(r){frag.appendChild(r);});body.appendChild(frag);
            });
          });
        });
        function matcher(q){
          var terms=q.toLowerCase().match(/"[^"]*"|\S+/g)||[];
          return function(k){
            var padded=" "+k+" ";
            return terms.every(function(t){return t.charAt(0)==='"'?padded.indexOf(" "+t.replace(/"/g,"")+" ")>=0:k.indexOf(t)>=0;});
          };
        }
        function filterBox(input,items,counter,noun){
          var timer=0,total=items.length,keys=null;
          function key(el){var k=el.getAttribute("data-k");if(k===null){var s=el.querySelector("summary");k=(s||el).textContent;}return k.toLowerCase();}
          function run(){
            if(!keys){keys=[];for(var j=0;j<total;j++)keys.push(key(items[j]));}
            var m=matcher(input.value),shown=0;
            for(var i=0;i<total;i++){var ok=m(keys[i]);if(items[i].hidden===ok)items[i].hidden=!ok;if(ok)shown++;}
            counter.textContent=shown===total?total+" "+noun:shown+" of "+total+" "+noun;
          }
          counter.textContent=total+" "+noun;
          input.addEventListener("input",function(){clearTimeout(timer);timer=setTimeout(run,total>2000?150:0);});
          input.form&&input.form.addEventListener("submit",function(e){e.preventDefault();});
          return run;
        }
        each(d.querySelectorAll("[data-filter-for]"),function(box){
          var scope=d.getElementById(box.getAttribute("data-filter-for"));
          var items=scope.querySelectorAll(box.getAttribute("data-items")||"[data-k]");
          var input=box.querySelector("input"),counter=box.querySelector("output");
          var run=filterBox(input,items,counter,box.getAttribute("data-noun"));
          box.hidden=false;
          box.runFilter=function(q){input.value=q;run();};
        });
        each(d.querySelectorAll("[data-expand]"),function(b){
          b.hidden=false;
          b.addEventListener("click",function(){
            var open=b.getAttribute("data-expand")==="open";
            each(d.getElementById(b.getAttribute("data-scope")).querySelectorAll("details"),function(x){if(!x.hidden||!open)x.open=open;});
          });
        });
        each(d.querySelectorAll("a.fl-link"),function(a){
          a.addEventListener("click",function(){
            each(d.querySelectorAll("[data-filter-for].fails"),function(box){if(box.runFilter)box.runFilter(a.getAttribute("data-q"));});
          });
        });
        })();
        """;
}
