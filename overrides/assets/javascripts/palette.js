/* Material 9.8.2's two inline scripts of every page, partials/javascripts/base.html (its local storage helpers)
   and partials/javascripts/palette.html (the reader's chosen colour scheme), from this one cached file instead
   (issue 16: 1 KB less per page). overrides/partials/javascripts/palette.html loads it where Material's palette
   script stood, at the end of the header's palette form, without async or defer: it runs before anything below
   is parsed or painted, so no flash of the wrong scheme. Material's code, unchanged but for __md_scope: the site's
   root, Material's base_url (mkdocs.yml sets no extra.scope), taken from this file's own address,
   <site>/assets/javascripts/palette.js. Nothing above the header reads __md_* (no announce bar, no version
   banner, no consent: tests/test_page_frame.py). */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
