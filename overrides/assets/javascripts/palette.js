{#- Rendered by MkDocs at each build (mkdocs.yml, theme.static_templates) into <site>/assets/javascripts/palette.js:
    the colour scheme toggle's markup comes from mkdocs.yml's palette through Material's own partial. -#}
{%- set form %}{% include "partials/palette-form.html" %}{% endset -%}
/* Material 9.8.2's colour scheme toggle and two inline scripts of every page, from this one cached file instead
   (issue 16: 2 KB less per page). overrides/partials/javascripts/palette.html loads it where Material's palette
   script stood, in the header, without async or defer: it runs before anything below is parsed or painted, so no
   flash of the wrong scheme, and before Material's bundle, at the end of <body>, looks for the toggle to mount it.
   1. Material's local storage helpers (partials/javascripts/base.html), unchanged but for __md_scope: the site's
      root, Material's base_url (mkdocs.yml sets no extra.scope), taken from this file's own address,
      <site>/assets/javascripts/palette.js. Nothing above the header reads __md_* (no announce bar, no version
      banner, no consent: tests/test_page_frame.py).
   2. The toggle (partials/palette.html, overrides/partials/palette.html says why it is placed from here), put
      where Material's header has it, just before this script; parsed inert in a <template> first, so its icons'
      addresses, relative to this file as MkDocs renders it, are resolved before anything fetches them.
   3. Material's palette script (partials/javascripts/palette.html), unchanged: the reader's stored scheme. */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
(function(){var toggle=document.createElement("template");toggle.innerHTML={{ form | trim | tojson }};for(var use of toggle.content.querySelectorAll("use"))use.setAttribute("xlink:href",new URL(use.getAttribute("xlink:href"),document.currentScript.src).href);document.currentScript.before(toggle.content)})();
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
