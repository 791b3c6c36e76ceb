// Small enhancements over server-rendered pages: forms that write through the JSON API with the
// session's CSRF token, charts, sortable tables, the reader's time zone, and report progress.
(() => {
  const csrf = document.querySelector('meta[name=csrf-token]')?.content ?? '';
  const connectionLost = document.querySelector('meta[name=connection-lost]')?.content ?? '';

  // The server writes times in the zone this cookie names (UTC until the browser has said).
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (timeZone && !document.cookie.split('; ').includes(`tz=${encodeURIComponent(timeZone)}`)) {
    document.cookie = `tz=${encodeURIComponent(timeZone)}; path=/; max-age=31536000; samesite=lax`;
  }

  /**
   * Form fields as the API's JSON: "a.b" nests, "x[]" collects, data-type=number converts,
   * data-type=lines makes a list of the non-empty lines, and an empty field is left out.
   */
  function formJson(form, submitter) {
    const body = {};
    for (const element of form.elements) {
      if (!element.name || element.disabled || element.type === 'submit') continue;
      if ((element.type === 'checkbox' || element.type === 'radio') && !element.checked) continue;
      let value = element.value;
      if (value === '') continue;
      if (element.dataset.type === 'number') value = Number(value);
      if (element.dataset.type === 'null' && value === 'null') value = null;
      if (element.dataset.type === 'lines') {
        value = value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        if (value.length === 0) continue;
      }
      const path = element.name.replace(/\[\]$/, '').split('.');
      let target = body;
      for (const key of path.slice(0, -1)) target = target[key] ??= {};
      const key = path[path.length - 1];
      if (element.name.endsWith('[]')) (target[key] ??= []).push(value);
      else target[key] = value;
    }
    if (submitter?.name && submitter.value) body[submitter.name] = submitter.value;
    delete body.decision;
    return body;
  }

  /** The label a person sees for the form's field of an API field error, if the form has it. */
  function fieldLabel(form, field) {
    const name = field.split('.').pop();
    const control = form?.querySelector(`[name="${CSS.escape(name)}"]`);
    return control?.labels?.[0]?.textContent?.trim();
  }

  function showProblem(errorBox, problem, status) {
    errorBox.replaceChildren(problem.detail ?? problem.title ?? String(status));
    const errors = problem.errors ?? [];
    if (errors.length > 0) {
      const form = errorBox.closest('form');
      const list = document.createElement('ul');
      for (const error of errors) {
        const item = document.createElement('li');
        // The API's message names the field as the API does (summary); the page names it as its label.
        const label = fieldLabel(form, error.field);
        const name = error.field.split('.').pop();
        item.textContent = label ? error.message.replaceAll(name, label) : error.message;
        list.appendChild(item);
      }
      errorBox.appendChild(list);
    }
    errorBox.hidden = false;
  }

  /** Sends the form to the API; true when it succeeded. Reloads unless `reload` is false. */
  async function send(form, submitter, { reload = true } = {}) {
    const url = submitter?.getAttribute('formaction') || form.getAttribute('action');
    const method = (form.getAttribute('method') || 'post').toUpperCase();
    const errorBox = form.querySelector('.form-error');
    if (errorBox) errorBox.hidden = true;
    const buttons = form.querySelectorAll('button');
    buttons.forEach((button) => (button.disabled = true));
    try {
      const response = await fetch(url, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': csrf,
          accept: 'application/json',
          // The API answers its errors in the page's language.
          'accept-language': document.documentElement.lang,
        },
        body: JSON.stringify(formJson(form, submitter)),
        credentials: 'same-origin',
      });
      if (response.ok) {
        if (!reload) return true;
        const then = form.dataset.then;
        if (then && then !== 'reload') window.location.assign(then);
        else window.location.reload();
        return true;
      }
      const problem = await response.json().catch(() => ({}));
      if (errorBox) showProblem(errorBox, problem, response.status);
      return false;
    } catch {
      // No answer at all (offline, a dropped slow line): say so, in the page's language.
      if (errorBox) showProblem(errorBox, { detail: connectionLost }, 0);
      return false;
    } finally {
      buttons.forEach((button) => (button.disabled = false));
    }
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-api')) return;
    event.preventDefault();
    if (form.hasAttribute('data-autosave')) return void saveIndicator(form);
    void send(form, event.submitter);
  });

  // Questionnaire: each indicator saves itself when one of its fields changes.
  const missingList = document.querySelector('[data-missing-list]');
  function showAnswered(form, body) {
    form.setAttribute('data-answered', '');
    const answered = document.querySelectorAll('form[data-indicator][data-answered]').length;
    const progress = document.getElementById('answered-progress');
    progress.value = answered;
    const count = document.querySelector('[data-answered-count]');
    count.textContent = count.dataset.template
      .replace('{answered}', answered)
      .replace('{total}', progress.max);
    const key = form.dataset.indicator;
    const item = missingList.querySelector(`[data-missing="${key}"]`);
    if (body.level !== null && body.level >= 3 && !body.evidence) {
      const entry = document.createElement('li');
      entry.dataset.missing = key;
      const link = document.createElement('a');
      link.href = `#indicator-${key}`;
      link.textContent = key;
      entry.append(link, ` · ${form.dataset.title} · ${missingList.dataset.needsEvidence}`);
      if (item) item.replaceWith(entry);
      else missingList.appendChild(entry);
    } else {
      item?.remove();
    }
    document.querySelector('[data-nothing-missing]').hidden = missingList.children.length > 0;
  }

  async function saveIndicator(form, changed) {
    const state = form.querySelector('.save-state');
    const naReason = form.querySelector('[data-only-when-na]');
    const level = form.querySelector('input[name=level]:checked');
    if (!level) {
      state.textContent = missingList.dataset.chooseLevel;
      return;
    }
    naReason.disabled = level.value !== 'null';
    naReason.parentElement.hidden = naReason.disabled;
    if (!naReason.disabled && naReason.value.trim() === '') {
      if (changed?.name === 'level') naReason.focus();
      state.textContent = missingList.dataset.giveReason;
      return;
    }
    state.textContent = '…';
    const body = formJson(form);
    const saved = await send(form, undefined, { reload: false });
    state.textContent = saved ? `✔ ${missingList.dataset.saved}` : '';
    if (saved) showAnswered(form, body);
  }

  // A level is saved when it is chosen: at once by a click or a tap, but when moving through the
  // levels with the arrow keys (each step changes the choice) only once the choice is made, by
  // Space or Enter, or by leaving the levels.
  document.querySelectorAll('form[data-autosave]').forEach((form) => {
    const levels = form.querySelector('.levels');
    let moving = false;
    const choose = (target) => {
      moving = false;
      void saveIndicator(form, target);
    };
    form.addEventListener('keydown', (event) => {
      if (event.target.name !== 'level') return;
      if (event.key.startsWith('Arrow')) moving = true;
      else if (moving && (event.key === ' ' || event.key === 'Enter')) {
        event.preventDefault();
        choose(event.target);
      }
    });
    form.addEventListener('change', (event) => {
      if (event.target.name === 'level' && moving) return;
      void saveIndicator(form, event.target);
    });
    form.addEventListener('focusout', (event) => {
      if (moving && !levels.contains(event.relatedTarget)) choose(event.target);
    });
  });

  // Sortable tables: buttons in header cells sort by each cell's data-value (or its text).
  document.querySelectorAll('table[data-sortable]').forEach((table) => {
    table.querySelectorAll('th[data-sort]').forEach((header, column) => {
      header.querySelector('button')?.addEventListener('click', () => {
        const ascending = header.getAttribute('aria-sort') !== 'ascending';
        table
          .querySelectorAll('th[aria-sort]')
          .forEach((other) => other.removeAttribute('aria-sort'));
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const numeric = header.dataset.sort === 'number';
        const value = (row) => {
          const cell = row.cells[column];
          const raw = cell.dataset.value ?? cell.textContent.trim();
          return numeric ? Number(raw) : raw;
        };
        const body = table.tBodies[0];
        [...body.rows]
          .sort(
            (a, b) =>
              (value(a) > value(b) ? 1 : value(a) < value(b) ? -1 : 0) * (ascending ? 1 : -1),
          )
          .forEach((row) => body.appendChild(row));
      });
    });
  });

  // Reports being compiled: poll their progress until they are done, then show the downloads.
  const polling = [...document.querySelectorAll('tr[data-poll]')];
  if (polling.length > 0) {
    const timer = setInterval(async () => {
      let waiting = 0;
      for (const row of polling) {
        const response = await fetch(row.dataset.poll, { headers: { accept: 'application/json' } });
        if (!response.ok) continue;
        const report = await response.json();
        row.querySelector('progress').value = report.progress;
        if (report.status === 'completed' || report.status === 'failed') {
          clearInterval(timer);
          window.location.reload();
          return;
        }
        waiting += 1;
      }
      if (waiting === 0) clearInterval(timer);
    }, 1000);
  }

  window.addEventListener('load', () => {
    if (!window.Chart) return;
    const colours = ['#cc79a7', '#e69f00', '#56b4e9', '#0072b2', '#009e73', '#d55e00', '#999999'];
    const rtl = document.documentElement.dir === 'rtl';
    document.querySelectorAll('canvas[data-chart]').forEach((canvas) => {
      const labels = JSON.parse(canvas.dataset.labels);
      const values = JSON.parse(canvas.dataset.values);
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { data: values, backgroundColor: labels.map((_, i) => colours[i % colours.length]) },
          ],
        },
        options: {
          indexAxis: 'y',
          animation: false,
          // Numbers as the page's language writes them; bars grow from the right in Arabic.
          locale: document.documentElement.lang,
          plugins: { legend: { display: false } },
          scales: {
            x: {
              beginAtZero: true,
              reverse: rtl,
              max: canvas.dataset.max ? Number(canvas.dataset.max) : undefined,
              ticks: { precision: 0 },
            },
            y: { position: rtl ? 'right' : 'left' },
          },
        },
      });
    });
  });
})();
