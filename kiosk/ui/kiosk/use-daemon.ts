import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { setRoomTimeZone } from '../shared/format.js';
import { api } from './api.js';
import type { CurrentSession, Health, LatestReadiness, Levels, Preset, PublicEntry, TechnicianCall } from './types.js';

export interface DaemonState {
  /** The websocket to the daemon is open and answering: without it nothing on screen is current. */
  connected: boolean;
  health?: Health;
  current?: CurrentSession;
  schedule?: PublicEntry[];
  presets: Preset[];
  /** The preset the camera is at, whoever sent it there (this screen, the console, speaker tracking). */
  activePreset?: string | null;
  muted?: boolean;
  readiness?: LatestReadiness;
  call: TechnicianCall | null;
  levels: Levels | null;
}

/** A socket that said nothing for this long is taken as gone (the daemon answers a poll every 5 s). */
const SILENCE_MS = 15_000;
const POLL_MS = 5_000;
const RECONNECT_MS = 2_000;

/**
 * The daemon as the screen knows it: health pushed over the websocket (and asked for every 5 s),
 * the rest fetched over HTTP when the socket opens, when the recording changes, and every 5 s.
 * Values are kept while disconnected, but `connected` is false: the views show them as stale.
 */
export function useDaemon(): [DaemonState, () => Promise<void>] {
  const [state, setState] = useState<DaemonState>({ connected: false, presets: [], call: null, levels: null });
  const merge = useCallback((patch: Partial<DaemonState>) => setState((previous) => ({ ...previous, ...patch })), []);
  const live = useRef(false);

  const refresh = useCallback(async () => {
    const [current, presets, audio, readiness, call, schedule] = await Promise.allSettled([
      api<CurrentSession>('/session/current'),
      api<{ presets: Preset[]; active: string | null }>('/ptz/presets'),
      api<{ muted: boolean }>('/audio'),
      api<LatestReadiness>('/readiness/latest'),
      api<{ call: TechnicianCall | null }>('/technician-call'),
      api<{ sessions: PublicEntry[] }>('/schedule/public'),
    ]);
    const patch: Partial<DaemonState> = {};
    if (current.status === 'fulfilled') patch.current = current.value;
    if (presets.status === 'fulfilled') {
      patch.presets = presets.value.presets;
      patch.activePreset = presets.value.active;
    }
    if (audio.status === 'fulfilled') patch.muted = audio.value.muted;
    if (readiness.status === 'fulfilled') patch.readiness = readiness.value;
    if (call.status === 'fulfilled') patch.call = call.value.call;
    if (schedule.status === 'fulfilled') patch.schedule = schedule.value.sessions;
    live.current = patch.current?.session?.state === 'live' || (patch.current === undefined && live.current);
    merge(patch);
  }, [merge]);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let silence: number | undefined;
    let reconnect: number | undefined;
    let stopped = false;
    let recordingWas: string | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = window.setTimeout(() => socket?.close(), SILENCE_MS);
    };
    const connect = () => {
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      socket.onopen = () => {
        heard();
        merge({ connected: true });
        void refresh();
      };
      socket.onmessage = (event) => {
        heard();
        const message = JSON.parse(String(event.data));
        if (message.type !== 'health') return;
        const health = message.data as Health;
        setRoomTimeZone(health.room.timeZone);
        merge({ health, connected: true });
        // The recording changed under the session (started, stopped by itself, resumed): fetch the session now.
        const recording = `${health.recording?.state}:${health.recording?.sessionId ?? ''}`;
        if (recording !== recordingWas) void refresh();
        recordingWas = recording;
      };
      socket.onclose = () => {
        clearTimeout(silence);
        merge({ connected: false, levels: null });
        if (!stopped) reconnect = window.setTimeout(connect, RECONNECT_MS);
      };
    };
    connect();
    const poll = window.setInterval(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'subscribe', topics: ['health'] }));
      void refresh();
    }, POLL_MS);
    // The meters: a few times a second while a session records.
    const meters = window.setInterval(() => {
      if (!live.current || socket?.readyState !== WebSocket.OPEN) return;
      api<{ levels: Levels | null }>('/media/levels').then(
        (r) => merge({ levels: r.levels }),
        () => merge({ levels: null }),
      );
    }, 250);
    return () => {
      stopped = true;
      clearInterval(poll);
      clearInterval(meters);
      clearTimeout(reconnect);
      clearTimeout(silence);
      socket?.close();
    };
  }, [merge, refresh]);

  return [state, refresh];
}
