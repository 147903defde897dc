import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audioConfig } from '../../../hal/audio/config.js';
import { AlsaAudio } from '../../../hal/audio/alsa/driver.js';
import { PulseAudio } from '../../../hal/audio/pulse/driver.js';
import { FakeExecutables } from '../fake-executables.js';
import { waitFor } from '../../support/wait.js';

const fastRetry = { initialMs: 20, maxMs: 50, factor: 1, jitter: 0 };

// No sound card exists on this machine (no /proc/asound), so a fake amixer answers in amixer's
// format from a state file; "$FAKE/unplugged" makes it fail as amixer does for a missing card.
describe('AlsaAudio against a fake amixer', () => {
  let bin: FakeExecutables;
  let mic: AlsaAudio;
  const options = audioConfig.parse({
    driver: 'alsa',
    device: 'hw:CARD=ArrayUAC10,DEV=0',
    control: 'Mic',
    pollMs: 200,
  });
  if (options.driver !== 'alsa') throw new Error('unreachable');

  beforeEach(async () => {
    bin = await FakeExecutables.create();
    await bin.add(
      'amixer',
      `
if [ -f "$FAKE/unplugged" ]; then echo "amixer: Mixer attach $2 error: No such device" >&2; exit 1; fi
[ "$4" = "Mic" ] || { echo "amixer: Unable to find simple control '$4',0" >&2; exit 1; }
case "$3" in
  sset) case "$5" in nocap) echo off > "$FAKE/switch";; cap) echo on > "$FAKE/switch";; esac ;;
esac
printf "Simple mixer control 'Mic',0\\n  Capabilities: cvolume cvolume-joined cswitch cswitch-joined\\n  Capture channels: Mono\\n  Limits: Capture 0 - 16\\n  Mono: Capture 12 [75%%] [21.00dB] [%s]\\n" "$(cat "$FAKE/switch")"`,
    );
    await bin.setState('switch', 'on');
    mic = new AlsaAudio({ id: 'audio', backoff: fastRetry }, options, bin.runner());
  });
  afterEach(async () => {
    await mic.stop();
    await bin.remove();
  });

  it('mutes and unmutes the capture switch of the card mixer', async () => {
    const events: boolean[] = [];
    mic.events.on('muted', (m) => events.push(m));
    await mic.start();
    expect(mic.status).toBe('ok');
    expect(mic.muted).toBe(false);
    await mic.setMuted(true);
    expect(await bin.state('switch')).toBe('off');
    expect(mic.muted).toBe(true);
    await mic.setMuted(false);
    expect(events).toEqual([true, false]);
    expect(await bin.calls('amixer')).toEqual(
      expect.arrayContaining([
        '-D hw:CARD=ArrayUAC10 sget Mic',
        '-D hw:CARD=ArrayUAC10 sset Mic nocap',
        '-D hw:CARD=ArrayUAC10 sset Mic cap',
      ]),
    );
  });

  it('notices a mute set from elsewhere by polling', async () => {
    await mic.start();
    await bin.setState('switch', 'off');
    await waitFor('muted from outside', () => mic.muted, 10_000);
  });

  it('an unplugged array reconnects and comes back with the mute the officer set', async () => {
    await mic.start();
    await mic.setMuted(true);
    await bin.setState('unplugged', '');
    await waitFor('unplug noticed', () => mic.status === 'connecting', 10_000);
    // Re-plugged: ALSA restores the card's default, capture on.
    await bin.setState('switch', 'on');
    await rm(join(bin.dir, 'unplugged'));
    await waitFor('reconnect', () => mic.status === 'ok', 10_000);
    expect(await bin.state('switch')).toBe('off');
    expect(mic.muted).toBe(true);
  });

  it('a wrong control name is bad-config, not retried', async () => {
    const wrong = new AlsaAudio({ id: 'audio', backoff: fastRetry }, { ...options, control: 'Capture' }, bin.runner());
    await wrong.start();
    expect(wrong.status).toBe('bad-config');
    expect(wrong.snapshot().detail).toMatch(/no mixer control "Capture"/);
    await wrong.stop();
  });
});

// No PulseAudio server runs here: a fake pactl answers `list short sources` and the mute commands.
describe('PulseAudio against a fake pactl', () => {
  let bin: FakeExecutables;
  const array = 'alsa_input.usb-SEEED_ReSpeaker_4_Mic_Array__UAC1.0_-00.multichannel-input';

  beforeEach(async () => {
    bin = await FakeExecutables.create();
    await bin.add(
      'pactl',
      `
case "$1 $2 $3" in
  "list short sources")
    printf '0\\talsa_output.pci-0000_00_1f.3.analog-stereo.monitor\\tmodule-alsa-card.c\\ts16le 2ch 48000Hz\\tSUSPENDED\\n'
    [ -f "$FAKE/plugged" ] && printf '1\\t${array}\\tmodule-alsa-card.c\\ts16le 6ch 16000Hz\\tRUNNING\\n'
    exit 0 ;;
esac
case "$1" in
  get-source-mute) echo "Mute: $(cat "$FAKE/mute")" ;;
  set-source-mute) [ "$3" = 1 ] && echo yes > "$FAKE/mute" || echo no > "$FAKE/mute" ;;
  *) exit 2 ;;
esac`,
    );
    await bin.setState('mute', 'no');
  });
  afterEach(async () => {
    await bin.remove();
  });

  it('waits for the named source to appear, then mutes it by name', async () => {
    const mic = new PulseAudio(
      { id: 'audio', backoff: fastRetry },
      { driver: 'pulse', device: array, channels: 6, sampleRate: 16000, doa: { driver: 'none' }, pollMs: 200 },
      bin.runner(),
    );
    await mic.start();
    expect(mic.status).toBe('failed');
    expect(mic.snapshot().detail).toMatch(/is not present/);
    await bin.setState('plugged', '');
    await waitFor('source to appear', () => mic.status === 'ok', 10_000);
    await mic.setMuted(true);
    expect(await bin.state('mute')).toBe('yes');
    expect(await bin.calls('pactl')).toContain(`set-source-mute ${array} 1`);
    await mic.stop();
  });

  it('uses the default source when no device is named', async () => {
    const mic = new PulseAudio(
      { id: 'audio' },
      { driver: 'pulse', channels: 1, sampleRate: 48000, doa: { driver: 'none' }, pollMs: 1000 },
      bin.runner(),
    );
    await bin.setState('mute', 'yes');
    await mic.start();
    expect(mic.muted).toBe(true);
    expect(await bin.calls('pactl')).toEqual(['get-source-mute @DEFAULT_SOURCE@']);
    await mic.stop();
  });

  it('refuses a monitor source as the microphone', async () => {
    const mic = new PulseAudio(
      { id: 'audio' },
      {
        driver: 'pulse',
        device: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor',
        channels: 1,
        sampleRate: 48000,
        doa: { driver: 'none' },
        pollMs: 1000,
      },
      bin.runner(),
    );
    await mic.start();
    expect(mic.status).toBe('bad-config');
    await mic.stop();
  });
});
