// Live pages: the server says when something changed (server-sent events); the page fetches its live
// region again and swaps it in. No framework, nothing from a CDN.
(function () {
  'use strict';
  var body = document.body;
  var events = body.getAttribute('data-events');
  var fragment = body.getAttribute('data-fragment');
  if (!events || !fragment || !window.EventSource) {
    return;
  }
  var region = document.getElementById('live');
  var badge = document.getElementById('live-state');
  // one fetch at a time: changes that come while one is scheduled or under way ask for one more after it
  // (before, each change could start a fetch of its own, each a replay on the server)
  var busy = false;
  var again = false;
  var refreshes = 0;

  function request() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    setTimeout(refresh, 150);
  }

  function done() {
    busy = false;
    if (again) {
      again = false;
      request();
    }
  }

  function refresh() {
    // a request that never settles (a proxy holding it) must not stop the page's updates for good
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 30000) : null;
    fetch(fragment, controller ? { cache: 'no-store', signal: controller.signal } : { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) {
          region.innerHTML = html;
          refreshes += 1;
          body.setAttribute('data-refreshes', String(refreshes));
        }
      })
      .catch(function () { /* the next change event tries again */ })
      .then(function () {
        if (timer) {
          clearTimeout(timer);
        }
        done();
      });
  }

  // An EventSource reconnects by itself after a stream cut once open, but takes any answer other than a
  // stream as final: a 503 (the server's --max-streams are open) closed it for good, the page silently
  // no longer live. So the page tries again itself, after 2 s, then less often (doubling, at most a
  // minute, with jitter), and fetches its region once back: changes came meanwhile.
  var delay = 2000;
  var opened = false;

  function connect() {
    var source = new EventSource(events);
    source.addEventListener('open', function () {
      badge.hidden = false;
      body.setAttribute('data-live', 'open');
      delay = 2000;
      if (opened) {
        request();
      }
      opened = true;
    });
    source.addEventListener('error', function () {
      badge.hidden = true;
      if (source.readyState === EventSource.CLOSED) {
        body.setAttribute('data-live', 'waiting');
        setTimeout(connect, delay * (0.5 + Math.random()));
        delay = Math.min(delay * 2, 60000);
      }
    });
    source.addEventListener('change', request);
  }

  connect();
})();
