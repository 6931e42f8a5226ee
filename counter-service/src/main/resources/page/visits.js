'use strict';

// "Visit again": counts one more visit through the API and updates the page in place.
// Inlined at the end of the page's body, so the elements it looks up already exist.
(() => {
  const button = document.getElementById('visit-again');
  const number = document.getElementById('visit-number');
  const hostname = document.getElementById('hostname');
  const replicas = document.getElementById('replicas');
  const status = document.getElementById('status');

  function replicaItem(name, count, percent, total, current) {
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
    figure.textContent = `${count} · ${percent}%`;
    item.append(label, meter, figure);
    return item;
  }

  // Whole percentages that add up to 100, as the server renders them: each part rounded down, the points
  // still missing to the parts that lost the most to rounding
  function percentages(counts, total) {
    if (total === 0) {
      return counts.map(() => 0);
    }
    const percents = counts.map((count) => Math.floor(count * 100 / total));
    const missing = 100 - percents.reduce((sum, percent) => sum + percent, 0);
    counts.map((count, i) => [(count * 100) % total, i])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, missing)
      .forEach(([, i]) => { percents[i] += 1; });
    return percents;
  }

  function show(visits) {
    const spread = Object.entries(visits.replicas);
    const counts = spread.map(([, count]) => count);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const percents = percentages(counts, total);
    number.textContent = visits.visits;
    hostname.textContent = visits.hostname;
    document.title = `Visit number ${visits.visits}`;
    replicas.replaceChildren(...spread.map(([name, count], i) =>
      replicaItem(name, count, percents[i], total, visits.hostname)));
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
