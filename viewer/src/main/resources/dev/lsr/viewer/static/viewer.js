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
  var stream = events; // where the page's stream is (re)opened: its seen= follows the region
  var announced = null; // the catalog version of the last change event, which the next refetch shows

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
    var at = announced;
    // a request that never settles (a proxy holding it) must not stop the page's updates for good
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 30000) : null;
    fetch(fragment, controller ? { cache: 'no-store', signal: controller.signal } : { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) {
          region.innerHTML = html;
          if (at !== null) {
            stream = events.replace(/([?&]seen=)\d+/, '$1' + at);
          }
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

  // The page's stream says which catalog version the region shows (seen=, rendered into the page, then the
  // version of the last change it fetched): the server sends a change at once when the catalog moved past it,
  // so the changes made while the page had no stream (between its render and its connect, while its stream was
  // refused because the server's --max-streams were open, or cut) show as soon as one is served. An EventSource
  // takes any answer other than a stream as final (a 503 closed it for good, the page silently no longer live),
  // and its own reconnect after a cut would ask from the rendered version again: so the page reconnects itself
  // after any error, after 2 s, then less often (doubling, at most a minute, with jitter).
  var delay = 2000;

  function connect() {
    var source = new EventSource(stream);
    source.addEventListener('open', function () {
      badge.hidden = false;
      body.setAttribute('data-live', 'open');
      delay = 2000;
    });
    source.addEventListener('error', function () {
      source.close();
      badge.hidden = true;
      body.setAttribute('data-live', 'waiting');
      setTimeout(connect, delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 60000);
    });
    source.addEventListener('change', function (event) {
      if (/^\d+$/.test(event.data)) {
        announced = event.data;
      }
      request();
    });
  }

  connect();
})();
