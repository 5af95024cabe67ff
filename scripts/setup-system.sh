#!/usr/bin/env bash
# Install the system packages Embargo's build, app and tests need, when they
# are missing: libclang for sequoia's bindgen, the X/Wayland/GL libraries the
# app links at run time, Xvfb and screenshot tools, gpg, the desktop-file and
# AppStream validators, rsvg-convert and dpkg-dev for packaging. Safe to run again:
# it installs only what is missing. Debian/Ubuntu only. Also aiosmtpd (PyPI), the
# SMTP server the mail tests start on 127.0.0.1.
set -euo pipefail

want=(
  libclang1-14 libclang-common-14-dev   # bindgen (sequoia's crypto backend)
  capnproto                              # sequoia-gpg-agent's IPC layer compiles capnp schemas
  pkg-config libssl-dev                  # sequoia's OpenSSL backend
  libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libgl1 libegl1 libgl1-mesa-dri
  libwayland-client0 libwayland-egl1
  xvfb x11-apps netpbm xdotool           # headless runs and screenshots
  gnupg gpg-agent pinentry-curses        # real gpg in signing tests (pinentry-curses: the agent test without a terminal)
  zenity                                 # the file dialog rfd falls back to
  nginx-light apache2 apache2-utils      # the embargoed-download tests: a real nginx and Apache, htpasswd -vb
  python3 python3-pip                    # aiosmtpd, the SMTP server of the mail tests
  openssl                                # the mail TLS test makes its own CA and server certificate
  desktop-file-utils appstream           # tests/packaging.rs validates the .desktop and metainfo files
  librsvg2-bin                           # scripts/icons.sh renders the PNG icons from the SVG
  dpkg-dev                               # cargo deb: dpkg-shlibdeps for the package's "$auto" dependencies
)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "embargo: installing system packages: ${missing[*]}" >&2
  if [ -n "$SUDO" ]; then
    command -v sudo >/dev/null || { echo "embargo: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null 2>&1 || $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The mail tests' SMTP server (tests/support/smtp_sink.py).
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "embargo: installing aiosmtpd (PyPI) for the mail tests" >&2
  $SUDO python3 -m pip install --quiet --break-system-packages aiosmtpd
fi
