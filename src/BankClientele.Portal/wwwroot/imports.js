// The imports page (/imports): sends the chosen file to /imports/{kind} with XMLHttpRequest, whose upload
// events drive the progress bar, first as a dry run (the preview) and, on "Import", for real. The portal
// answers with the outcome as HTML (rendered server-side in the page's language), shown in place.
// Listeners sit on the document, so the page works however Blazor navigated to it.
(() => {
  const send = (form, dryRun) => {
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) { form.reportValidity(); return; }
    const kind = form.querySelector('select[name=kind]').value;
    const data = new FormData();
    data.append('__RequestVerificationToken', form.querySelector('input[name=__RequestVerificationToken]').value);
    data.append('file', file, file.name);
    data.append('dryRun', dryRun ? 'true' : 'false');
    const progress = document.querySelector('.import-progress');
    const bar = document.getElementById('import-progress-bar');
    const label = document.getElementById('import-progress-label');
    const result = document.getElementById('import-result');
    const buttons = document.querySelectorAll('#import-form button, [data-import-apply]');
    buttons.forEach(b => b.disabled = true);
    result.innerHTML = '';
    progress.hidden = false;
    bar.value = 0;
    bar.max = 100;
    label.textContent = form.dataset.uploading;
    const request = new XMLHttpRequest();
    request.open('POST', `/imports/${encodeURIComponent(kind)}`);
    request.upload.onprogress = e => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    request.upload.onload = () => {
      // Sent: the service now reads, checks and (unless a dry run) applies; no measure of that, so indeterminate.
      bar.removeAttribute('value');
      label.textContent = form.dataset.working;
    };
    const done = html => {
      progress.hidden = true;
      buttons.forEach(b => b.disabled = false);
      result.innerHTML = html;
      result.dataset.state = dryRun ? 'previewed' : 'applied';
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        done(request.responseText);
      } else {
        let detail = request.statusText;
        try { const p = JSON.parse(request.responseText); detail = Object.values(p.errors || {}).flat().join(' ') || p.detail || p.title || detail; } catch { }
        const alert = document.createElement('div');
        alert.className = 'alert error';
        alert.setAttribute('role', 'alert');
        alert.dataset.testid = 'import-failed';
        alert.textContent = `${form.dataset.failed} (${request.status}) ${detail}`;
        done('');
        result.appendChild(alert);
      }
    };
    request.onerror = () => { done(''); result.textContent = form.dataset.failed; };
    request.send(data);
  };

  document.addEventListener('submit', e => {
    if (e.target.id !== 'import-form') return;
    e.preventDefault();
    send(e.target, true);
  });
  document.addEventListener('click', e => {
    if (!e.target.closest('[data-import-apply]')) return;
    send(document.getElementById('import-form'), false);
  });
  // A new file or kind makes the last preview stale.
  document.addEventListener('change', e => {
    if (e.target.closest('#import-form')) {
      const result = document.getElementById('import-result');
      if (result) { result.innerHTML = ''; delete result.dataset.state; }
    }
  });
})();
