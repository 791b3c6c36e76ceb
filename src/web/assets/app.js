// Small enhancements over server-rendered pages, which work without them: forms that say they
// are on their way, questionnaire answers saved as they are chosen, the reader's time zone, and
// report progress.
(() => {
  // Says to the style sheet that this script runs: what it replaces (an answer's Save button) hides.
  document.documentElement.classList.add('js');
  const csrf = document.querySelector('meta[name=csrf-token]')?.content ?? '';
  const connectionLost = document.querySelector('meta[name=connection-lost]')?.content ?? '';

  // The server writes times in the zone this cookie names (UTC until the browser has said).
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (timeZone && !document.cookie.split('; ').includes(`tz=${encodeURIComponent(timeZone)}`)) {
    document.cookie = `tz=${encodeURIComponent(timeZone)}; path=/; max-age=31536000; samesite=lax`;
  }

  /** The label a person sees for the form's field of an API field error, if the form has it. */
  function fieldLabel(form, field) {
    const name = field.split('.').pop();
    const control = form?.querySelector(`[name="${CSS.escape(name)}"]`);
    return control?.labels?.[0]?.textContent?.trim();
  }

  function showProblem(errorBox, problem, status) {
    if (!errorBox) return;
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

  // A form posts to the server, which sends the browser back with a confirmation. On a slow line
  // the form says it is on its way and a second press does not post it twice; offline, it says so
  // and keeps what was typed.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== 'post') return;
    if (form.hasAttribute('data-autosave')) {
      event.preventDefault();
      void saveIndicator(form);
      return;
    }
    if (!navigator.onLine) {
      event.preventDefault();
      showProblem(form.querySelector('.form-error'), { detail: connectionLost }, 0);
      return;
    }
    if (form.hasAttribute('aria-busy')) {
      event.preventDefault();
      return;
    }
    form.setAttribute('aria-busy', 'true');
    const button = event.submitter ?? form.querySelector('button[type=submit]');
    if (button?.dataset.sending) button.textContent = button.dataset.sending;
  });

  /**
   * An answer's fields as the API's JSON: data-type=number converts, data-type=null makes null,
   * data-type=lines makes a list of the non-empty lines, ticked boxes named `x[]` a list, and an
   * empty field is left out.
   */
  function answerJson(form) {
    const body = {};
    for (const element of form.elements) {
      if (!element.name || element.disabled || element.name === '_csrf') continue;
      if (element.type === 'submit') continue;
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
      // Ticked boxes of one name (`evidenceDocuments[]`) make a list.
      if (element.name.endsWith('[]')) {
        const name = element.name.slice(0, -2);
        body[name] = [...(body[name] ?? []), value];
        continue;
      }
      body[element.name] = value;
    }
    return body;
  }

  /** Saves an answer through the API (the form's data-api URL); true when it was saved. */
  async function saveAnswer(form, body) {
    const errorBox = form.querySelector('.form-error');
    if (errorBox) errorBox.hidden = true;
    try {
      const response = await fetch(form.dataset.api, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': csrf,
          accept: 'application/json',
          // The API answers its errors in the page's language.
          'accept-language': document.documentElement.lang,
        },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      if (response.ok) return true;
      const problem = await response.json().catch(() => ({}));
      showProblem(errorBox, problem, response.status);
      return false;
    } catch {
      // No answer at all (offline, a dropped slow line): say so, in the page's language.
      showProblem(errorBox, { detail: connectionLost }, 0);
      return false;
    }
  }

  // Questionnaire: each indicator saves itself when one of its fields changes.
  const missingList = document.querySelector('[data-missing-list]');
  const answeredCount = document.querySelector('[data-answered-count]');
  /** "4 of 6 answered", in the page's language. */
  const answeredOf = (answered, total) =>
    answeredCount.dataset.template.replace('{answered}', answered).replace('{total}', total);

  function showAnswered(form, body) {
    form.setAttribute('data-answered', '');
    const answered = document.querySelectorAll('form[data-indicator][data-answered]').length;
    const progress = document.getElementById('answered-progress');
    progress.value = answered;
    answeredCount.textContent = answeredOf(answered, progress.max);
    const area = form.closest('[data-area]');
    const areaProgress = area.querySelector('summary progress');
    areaProgress.value = area.querySelectorAll('form[data-indicator][data-answered]').length;
    document
      .querySelectorAll(`[data-area-count="${area.dataset.area}"]`)
      .forEach((count) => (count.textContent = answeredOf(areaProgress.value, areaProgress.max)));
    const key = form.dataset.indicator;
    const item = missingList.querySelector(`[data-missing="${key}"]`);
    if (body.level !== null && body.level >= 3 && !body.evidence) {
      const entry = document.createElement('li');
      entry.dataset.missing = key;
      const link = document.createElement('a');
      link.href = `?open=${area.dataset.area}#indicator-${key}`;
      link.textContent = `${key} · ${form.dataset.title}`;
      entry.append(link, ` · ${missingList.dataset.needsEvidence}`);
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
    const body = answerJson(form);
    const saved = await saveAnswer(form, body);
    state.textContent = saved ? `✔ ${missingList.dataset.saved}` : '';
    if (saved) showAnswered(form, body);
  }

  // A level is saved when it is chosen: at once by a click or a tap, but when moving through the
  // levels with the arrow keys (each step changes the choice) only once the choice is made, by
  // Space or Enter, or by leaving the levels.
  document.querySelectorAll('form[data-autosave]').forEach((form) => {
    const levels = form.querySelector('.levels');
    // The reason field is there without this script; with it, only once "not applicable" is chosen.
    const naReason = form.querySelector('[data-only-when-na]');
    naReason.disabled = form.querySelector('input[name=level]:checked')?.value !== 'null';
    naReason.parentElement.hidden = naReason.disabled;
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

  // A link to an area or an indicator opens its area, which may be closed, and moves the focus there.
  // The links carry ?open=<area> for pages without JavaScript, where the server opens the area; here
  // they stay on the page.
  function revealTarget(hash) {
    const target = document.getElementById(hash.slice(1));
    const area = target?.closest('details[data-area]');
    if (!area) return;
    area.open = true;
    // An area takes the focus on its summary; an indicator's form has to be made focusable.
    let focused = target;
    if (target === area) focused = area.querySelector('summary');
    else target.tabIndex = -1;
    focused.scrollIntoView({ block: 'start' });
    focused.focus({ preventScroll: true });
  }
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="?open="]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, '', link.hash);
    revealTarget(link.hash);
  });
  window.addEventListener('hashchange', () => revealTarget(window.location.hash));
  revealTarget(window.location.hash);

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

  // A user's form shows only the scope its role has (a country, a region, or neither); the other
  // is disabled, so not posted, and the API drops it when the role changes.
  for (const form of document.querySelectorAll('form[data-scope-form]')) {
    const role = form.querySelector('[data-role-select]');
    const show = () => {
      for (const box of form.querySelectorAll('[data-scope-role]')) {
        const shown = role.value === box.dataset.scopeRole;
        box.hidden = !shown;
        box.querySelector('select').disabled = !shown;
      }
      form.querySelector('[data-scope-hint]').hidden = true;
    };
    role.addEventListener('change', show);
    show();
  }
})();
