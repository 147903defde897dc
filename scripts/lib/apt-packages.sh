# Sourced by setup.sh and ensure-ready.sh: the Debian packages the project needs, and which are missing.
APT_PACKAGES=(
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-plugins-base-apps
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev pkg-config
  ffmpeg socat age nut-server nut-client chromium v4l-utils libsqlite3-dev
  python3 make g++ openssl cage
  ddcutil alsa-utils pulseaudio-utils
  gstreamer1.0-x fonts-dejavu-core libnss3-tools
  pulseaudio gstreamer1.0-pulseaudio
  nats-server device-tree-compiler
  gir1.2-gst-rtsp-server-1.0 python3-gi nginx-light libnginx-mod-rtmp
)

# What a room device needs at run time (scripts/install-device.sh installs the missing ones): no compilers,
# no -dev packages (a release carries its native modules built), no test servers.
DEVICE_APT_PACKAGES=(
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-pulseaudio libsqlite3-0
  ffmpeg age nut-client chromium cage v4l-utils ddcutil alsa-utils openssl curl fonts-dejavu-core
)

missing_packages() {
  # The list to check: APT_PACKAGES (the project's), or the name of another, e.g. DEVICE_APT_PACKAGES.
  local -n wanted="${1:-APT_PACKAGES}"
  # One dpkg-query for all: fast enough to run before every `npm test`.
  dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null | awk '$NF == "installed" { print $1 }' | sort > /tmp/.diemcau-installed.$$ || true
  printf '%s\n' "${wanted[@]}" | sort | comm -23 - /tmp/.diemcau-installed.$$
  rm -f /tmp/.diemcau-installed.$$
}
