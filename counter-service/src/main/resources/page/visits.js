'use strict';

// "Visit again": counts one more visit through the API and updates the page in place.
// Inlined at the end of the page's body, so the elements it looks up already exist.
(() => {
  const button = document.getElementById('visit-again');
  const number = document.getElementById('visit-number');
  const hostname = document.getElementById('hostname');
  const replicas = document.getElementById('replicas');
  const status = document.getElementById('status');

  function replicaItem(name, count, total, current) {
    const item = document.createElement('li');
    if (name === current) {
      item.classList.add('current');
    }
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = total;
    meter.value = count;
    const figure = document.createElement('span');
    figure.className = 'count';
    figure.textContent = `${count} · ${total > 0 ? Math.floor(count * 100 / total) : 0}%`;
    item.append(label, meter, figure);
    return item;
  }

  function show(visits) {
    const spread = Object.entries(visits.replicas);
    const total = spread.reduce((sum, [, count]) => sum + count, 0);
    number.textContent = visits.visits;
    hostname.textContent = visits.hostname;
    document.title = `Visit number ${visits.visits}`;
    replicas.replaceChildren(...spread.map(([name, count]) => replicaItem(name, count, total, visits.hostname)));
  }

  async function visitAgain() {
    button.disabled = true;
    status.textContent = '';
    try {
      const response = await fetch('api/visits', { method: 'POST', headers: { Accept: 'application/json' } });
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        const detail = problem?.detail ?? 'the counter did not answer as expected.';
        status.textContent = `${response.status}: ${detail}`;
        return;
      }
      show(await response.json());
    }
    catch {
      status.textContent = 'The counter could not be reached; try again shortly.';
    }
    finally {
      button.disabled = false;
    }
  }

  button.addEventListener('click', visitAgain);
})();
