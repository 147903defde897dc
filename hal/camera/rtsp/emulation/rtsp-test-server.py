#!/usr/bin/python3
"""A real RTSP server (GStreamer's gst-rtsp-server) streaming test video, for sim mode, tests and benches.

Each --mount PATH=WIDTHxHEIGHT@FPS serves H.264 video (a moving ball with a running clock) and Opus
sound. With --user and --password-file, clients must authenticate (digest); the password is read from a
file so it never shows in the process list. Prints one JSON line once listening, then obeys commands
on stdin, one a line:

    luma black|white     the picture turns black or white now (answers the wall clock time of the change)
    quit                 stop
"""
import argparse
import json
import sys
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def say(message):
    sys.stdout.write(json.dumps(message) + '\n')
    sys.stdout.flush()


def parse_mount(text):
    path, _, shape = text.partition('=')
    size, _, fps = shape.partition('@')
    width, _, height = size.partition('x')
    return '/' + path.strip('/'), int(width or 640), int(height or 360), int(fps or 15)


def stamp_frames(pad, caps):
    """multifilesrc leaves encoded frames without times: each gets the next frame's slot, loops included."""
    _, num, den = caps.get_structure(0).get_fraction('framerate')
    count = [0]

    def on_buffer(_pad, info):
        buffer = info.get_buffer()
        buffer.pts = buffer.dts = Gst.util_uint64_scale(count[0], Gst.SECOND * den, num)
        buffer.duration = Gst.util_uint64_scale(1, Gst.SECOND * den, num)
        count[0] += 1
        return Gst.PadProbeReturn.OK

    pad.add_probe(Gst.PadProbeType.BUFFER, on_buffer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8554)
    parser.add_argument('--mount', action='append', default=[])
    parser.add_argument('--user')
    parser.add_argument('--password-file')
    parser.add_argument('--frames', action='append', default=[])
    parser.add_argument('--bitrate-kbps', type=int, default=600)
    args = parser.parse_args()
    Gst.init(None)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    sources = []
    # The picture asked for last: a media made later (the first viewer, a reconnect) starts with it.
    wanted = {'pattern': None}

    def on_configure(_factory, media):
        frames_source = media.get_element().get_by_name('frames')
        if frames_source is not None:
            stamp_frames(frames_source.get_static_pad('src'), frames_source.get_property('caps'))
        source = media.get_element().get_by_name('picture')
        if source is not None:
            sources.append(source)
            if wanted['pattern']:
                source.set_property('pattern', wanted['pattern'])

    frames = {'/' + path.strip('/'): pattern for path, _, pattern in (f.partition('=') for f in args.frames)}
    for mount in args.mount or ['main=640x360@15']:
        path, width, height, fps = parse_mount(mount)
        if path in frames:
            # Stamped by stamp_frames on the way out; the server's sinks then pace them as a camera sends.
            caps = f'video/x-h264,stream-format=byte-stream,alignment=au,width={width},height={height},framerate={fps}/1'
            picture = f'multifilesrc name=frames location="{frames[path]}" loop=true caps="{caps}" ! h264parse '
        else:
            picture = (
                'videotestsrc name=picture is-live=true pattern=ball '
                f'! video/x-raw,width={width},height={height},framerate={fps}/1 ! clockoverlay font-desc="Sans 14" '
                f'! x264enc tune=zerolatency speed-preset=ultrafast bitrate={args.bitrate_kbps} key-int-max={fps} '
                '! video/x-h264,profile=constrained-baseline '
            )
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f'( {picture}! rtph264pay name=pay0 pt=96 config-interval=-1 '
            'audiotestsrc is-live=true wave=sine freq=520 volume=0.2 ! audioconvert ! audioresample ! opusenc ! rtpopuspay name=pay1 pt=97 )'
        )
        # One encoder for all viewers, as a camera has; a media reused across clients.
        factory.set_shared(True)
        factory.connect('media-configure', on_configure)
        if args.user:
            permissions = GstRtspServer.RTSPPermissions()
            permissions.add_permission_for_role('viewer', 'media.factory.access', True)
            permissions.add_permission_for_role('viewer', 'media.factory.construct', True)
            factory.set_permissions(permissions)
        mounts.add_factory(path, factory)

    if args.user:
        with open(args.password_file, encoding='utf-8') as f:
            password = f.read().strip()
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'viewer')
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        auth.add_digest(args.user, password, token)
        server.set_auth(auth)

    if server.attach(None) == 0:
        say({'error': f'cannot listen on {args.host}:{args.port}'})
        sys.exit(1)
    say({'rtsp': 'ready', 'host': args.host, 'port': server.get_bound_port(), 'mounts': [parse_mount(m)[0] for m in args.mount or ['main']]})

    loop = GLib.MainLoop()

    def on_line(channel, _condition):
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if words[:1] == ['luma'] and len(words) == 2 and words[1] in ('black', 'white'):
            pattern = 'black' if words[1] == 'black' else 'white'
            wanted['pattern'] = pattern
            for source in sources:
                source.set_property('pattern', pattern)
            say({'luma': words[1], 'at': time.time(), 'sources': len(sources)})
        elif words[:1] == ['quit']:
            loop.quit()
            return False
        elif words:
            say({'error': f'unknown command {words[0]}'})
        return True

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_line)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, lambda: (loop.quit(), False)[1])
    loop.run()


if __name__ == '__main__':
    main()
