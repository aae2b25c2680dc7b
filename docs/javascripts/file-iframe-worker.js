/* graphflow's documentation, opened from disk: browsers refuse to start a Web Worker from a
 * file:// page, and the site's search runs in one. On file:// only, `Worker` is replaced by a
 * stand-in that runs the worker's script in a hidden frame of the page: the same messages, on the
 * page's thread. (Written for this site; its name contains "iframe-worker" so that Material's
 * offline plugin does not add its own copy from a CDN.) */
(function () {
  "use strict";
  if (location.protocol !== "file:" || window.__graphflowFrameWorker) return;

  function FrameWorker(url) {
    var self = this;
    this.onmessage = null;
    this.onerror = null;
    this._listeners = { message: [], error: [] };
    this._frame = document.createElement("iframe");
    this._frame.hidden = true;
    this._frame.__owner = this;
    (document.body || document.documentElement).appendChild(this._frame);
    this._queue = [];
    this._started = false;
    var win = this._frame.contentWindow;
    var doc = win.document;
    // What the worker's code sees as its global scope: postMessage back to this page, and
    // importScripts as script tags written while the frame's document is still being parsed.
    win.postMessage = function (data) { self._emit("message", { data: data }); };
    win.importScripts = function () {
      for (var i = 0; i < arguments.length; i++) {
        doc.write('<script src="' + String(arguments[i]).replace(/"/g, "&quot;") +
                  '"><\/script>');
      }
    };
    win.addEventListener("error", function (event) {
      self._emit("error", { message: event.message, filename: event.filename,
                            lineno: event.lineno, error: event.error });
    });
    this._frame.addEventListener("load", function () {
      self._started = true;
      var queued = self._queue;
      self._queue = [];
      queued.forEach(function (data) { self._deliver(data); });
    });
    doc.open();
    doc.write('<!doctype html><html><body><script src="' +
              String(new URL(url, location.href)).replace(/"/g, "&quot;") +
              '"><\/script></body></html>');
    doc.close();
  }

  FrameWorker.prototype._deliver = function (data) {
    var win = this._frame.contentWindow;
    if (win) win.dispatchEvent(new MessageEvent("message", { data: data }));
  };

  FrameWorker.prototype._emit = function (type, init) {
    var event = type === "message" ? new MessageEvent("message", init)
                                   : new ErrorEvent("error", init);
    var handler = this["on" + type];
    if (typeof handler === "function") handler.call(this, event);
    this._listeners[type].slice().forEach(function (fn) { fn.call(this, event); }, this);
  };

  FrameWorker.prototype.postMessage = function (data) {
    var self = this;
    if (!this._started) { this._queue.push(data); return; }
    setTimeout(function () { self._deliver(data); }, 0);  // asynchronous, as a worker's is
  };

  FrameWorker.prototype.addEventListener = function (type, fn) {
    if (this._listeners[type]) this._listeners[type].push(fn);
  };

  FrameWorker.prototype.removeEventListener = function (type, fn) {
    var list = this._listeners[type] || [];
    var i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };

  FrameWorker.prototype.terminate = function () {
    if (this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
  };

  window.__graphflowFrameWorker = FrameWorker;
  window.Worker = FrameWorker;
})();
