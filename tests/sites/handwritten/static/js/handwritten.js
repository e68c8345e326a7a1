// extra_js of the handwritten example site: marks the page once its scripts have run
document.documentElement.dataset.extraJs = "loaded";
