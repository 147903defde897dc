import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { Badge, ErrorLine, Loading, useAct, useLoad, useShell } from '../ui.js';

import type { DiscoveredOnvifCamera, OnvifCameraDescription } from '../../../../hal/ptz/onvif/discovery.js';
import type { ChosenCamera as Chosen } from '../../../ip-cameras/onvif-setup.js';
import type { UpdateAnswer } from '../../../update/routes.js';

/** The room's devices that are set up from the console: network (ONVIF) cameras and the software itself. */
export function DevicesView() {
  return html`<${IpCameraSetup} /><${SoftwareUpdate} />`;
}

/**
 * Finds the ONVIF cameras on the room's network, reads one (with its login) and turns the chosen
 * profile into the room's camera and PTZ configuration. The password is sent once and kept by the
 * daemon in its secrets; no answer carries it back.
 */
function IpCameraSetup() {
  const { t } = useT();
  const { can, notify } = useShell();
  const act = useAct();
  const [cameras, setCameras] = useState<DiscoveredOnvifCamera[] | undefined>(undefined);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<DiscoveredOnvifCamera | undefined>(undefined);
  const [login, setLogin] = useState({ username: 'admin', password: '' });
  const [description, setDescription] = useState<OnvifCameraDescription | undefined>(undefined);
  const [chosen, setChosen] = useState<Chosen | undefined>(undefined);

  const search = async () => {
    setSearching(true);
    setPicked(undefined);
    setDescription(undefined);
    setChosen(undefined);
    await act(async () =>
      setCameras(
        (await api<{ cameras: DiscoveredOnvifCamera[] }>('POST', '/devices/onvif/discover', { timeoutMs: 2000 }))
          .cameras,
      ),
    );
    setSearching(false);
  };
  const read = () =>
    act(
      async () =>
        setDescription(
          await api<OnvifCameraDescription>('POST', '/devices/onvif/describe', { xaddr: picked!.xaddr, ...login }),
        ),
      t('ipCameraReadDone'),
    );
  const choose = (profileToken: string) =>
    act(async () =>
      setChosen(await api<Chosen>('POST', '/devices/onvif/choose', { xaddr: picked!.xaddr, ...login, profileToken })),
    );
  const apply = () =>
    act(async () => {
      const changes = [
        { path: 'hal.camera', value: chosen!.camera },
        ...(chosen!.ptz ? [{ path: 'hal.ptz', value: chosen!.ptz }] : []),
      ];
      await api('PUT', '/config', { changes });
      notify(t('ipCameraApplied'), 'ok');
    });

  return html`<section class="card" aria-labelledby="ipcam-title">
    <div class="head"><h1 id="ipcam-title">${t('ipCameraTitle')}</h1>
      <button id="onvif-discover" type="button" class="primary" disabled=${searching} onClick=${search}>${searching ? t('ipCameraSearching') : t('ipCameraSearch')}</button></div>
    <p class="muted">${t('ipCameraHint')}</p>
    ${
      cameras === undefined
        ? null
        : cameras.length === 0
          ? html`<p id="onvif-none">${t('ipCameraNone')}</p>`
          : html`<table id="onvif-cameras">
      <thead><tr><th scope="col">${t('ipCameraName')}</th><th scope="col">${t('ipCameraModel')}</th><th scope="col">${t('ipCameraAddress')}</th><th scope="col"><span class="sr-only">${t('ipCameraPick')}</span></th></tr></thead>
      <tbody>${cameras.map(
        (
          c,
        ) => html`<tr data-endpoint=${c.endpoint}><td>${c.name ?? '—'}</td><td>${c.hardware ?? '—'}</td><td>${c.host}:${c.port}</td>
        <td><button type="button" class="pick" onClick=${() => {
          setPicked(c);
          setDescription(undefined);
          setChosen(undefined);
        }}>${t('ipCameraPick')}</button></td></tr>`,
      )}</tbody></table>`
    }
    ${
      picked
        ? html`<form id="onvif-login" class="row" onSubmit=${(e: Event) => {
            e.preventDefault();
            void read();
          }}>
      <label>${t('ipCameraUser')} <input name="username" autocomplete="off" value=${login.username} onInput=${(e: Event) => setLogin({ ...login, username: (e.target as HTMLInputElement).value })} /></label>
      <label>${t('ipCameraPassword')} <input name="password" type="password" autocomplete="new-password" value=${login.password} onInput=${(e: Event) => setLogin({ ...login, password: (e.target as HTMLInputElement).value })} /></label>
      <button type="submit" class="primary">${t('ipCameraRead')}</button></form>`
        : null
    }
    ${
      description
        ? html`<div id="onvif-description">
      <p>${description.identity.manufacturer ?? ''} ${description.identity.model ?? ''} · ${t('ipCameraFirmware')} ${description.identity.firmwareVersion ?? '—'} · ${t('ipCameraClock')} <${Badge} kind=${Math.abs(description.clock.driftSeconds) > 2 ? 'warn' : 'pass'}>${description.clock.driftSeconds > 0 ? '+' : ''}${description.clock.driftSeconds} s</${Badge}></p>
      <table id="onvif-profiles"><thead><tr><th scope="col">${t('ipCameraProfile')}</th><th scope="col">${t('ipCameraVideo')}</th><th scope="col">${t('ipCameraStream')}</th><th scope="col"><span class="sr-only">${t('ipCameraUse')}</span></th></tr></thead>
        <tbody>${description.profiles.map(
          (
            p,
          ) => html`<tr data-token=${p.token}><td>${p.name}</td><td>${p.encoding ?? ''} ${p.width && p.height ? `${p.width}×${p.height}` : ''} ${p.fps ? `${p.fps} fps` : ''} ${p.hasPtz ? '· PTZ' : ''}</td>
          <td><code>${p.streamUrl}</code></td><td><button type="button" class="use" onClick=${() => choose(p.token)}>${t('ipCameraUse')}</button></td></tr>`,
        )}</tbody></table></div>`
        : null
    }
    ${
      chosen
        ? html`<div id="onvif-chosen">
      <p>${t('ipCameraChosen', { file: chosen.passwordFile })}</p>
      <pre class="config-json" tabindex="0">${JSON.stringify({ hal: { camera: chosen.camera, ...(chosen.ptz ? { ptz: chosen.ptz } : {}) } }, null, 2)}</pre>
      ${can('users.manage') ? html`<button id="onvif-apply" type="button" class="primary" onClick=${apply}>${t('ipCameraApply')}</button>` : html`<p class="muted">${t('ipCameraAskAdmin')}</p>`}
    </div>`
        : null
    }
  </section>`;
}

/** The running version, the last update's progress, and a form to start one from a release's address. */
function SoftwareUpdate() {
  const { t, lang } = useT();
  const act = useAct();
  const state = useLoad(() => get<UpdateAnswer>('/update'), [], 3000);
  const [url, setUrl] = useState('');
  const start = async (event: Event) => {
    event.preventDefault();
    await act(() => api('POST', '/update', { url }), t('updateRequested'));
    await state.reload();
  };
  const status = state.data?.status;
  return html`<section class="card" aria-labelledby="update-title">
    <div class="head"><h1 id="update-title">${t('updateTitle')}</h1></div>
    <${ErrorLine} error=${state.error} />
    ${
      !state.data
        ? html`<${Loading} />`
        : html`<p id="update-version">${t('updateVersion', { version: state.data.version })}</p>
      ${
        status
          ? html`<p id="update-status"><${Badge} kind=${status.state === 'succeeded' ? 'pass' : status.state === 'rolled-back' || status.state === 'refused' || status.state === 'failed' ? 'fail' : 'warn'}>${status.label[lang]}</${Badge}>
        ${status.problemLabel ? html` ${status.problemLabel[lang]}` : null} · ${status.from}${status.to ? ` → ${status.to}` : ''} · ${dateTime(status.updatedAt)}</p>`
          : html`<p class="muted">${t('updateNone')}</p>`
      }`
    }
    <form id="update-form" class="row" onSubmit=${start}>
      <label>${t('updateUrl')} <input name="url" type="url" required placeholder="https://…/diemcau-….tar.gz" value=${url} onInput=${(e: Event) => setUrl((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="primary">${t('updateStart')}</button></form>
    <p class="muted">${t('updateHint')}</p>
  </section>`;
}
