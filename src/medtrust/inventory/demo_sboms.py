"""Synthetic CycloneDX 1.6 SBOMs for the demo hospital's fictional product versions.

Deterministic for a product version and a seed. Each SBOM describes what such a device plausibly
contains: an operating system (Windows, a Linux distribution, or embedded Linux with an optional
RTOS co-processor), the native libraries such devices ship (OpenSSL, zlib, libpng, SQLite, curl,
expat, BusyBox, Dropbear or OpenSSH ...), a .NET, Java or Python runtime with its packages, and a
web user interface (AngularJS/jQuery or Angular). Older product versions get older releases.

Every third-party name, purl and version is a real release of a real project, and a CPE 2.3 name
is given only where the NVD CPE dictionary has one; Linux distribution revision suffixes
(``-0+deb11u5``, ``.el7_9``) are plausible rather than taken from one particular image. The
device's own firmware component is fictional: it is named after the product model, supplied by
the fictional manufacturer, identified by a ``pkg:generic`` purl and a CPE built from those names
(so advisories can target it by name, purl or CPE), and is the SBOM's subject
(``metadata.component``, not repeated in ``components``, so every bom-ref stays unique).

Written as plain JSON (about 3 ms per SBOM; building a document of the same size with
cyclonedx-python-lib's model and serialiser took about 60 ms), and checked against the
CycloneDX 1.6 JSON schema by the tests.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from packageurl import PackageURL

from medtrust.inventory.demo import DemoProduct, DemoVersion

SPEC_VERSION = "1.6"
MIN_COMPONENTS = 40
MAX_COMPONENTS = 120
TOOL_NAME = "medtrust demo SBOM generator"


@dataclass(frozen=True, slots=True)
class Package:
    """A third-party package: its purl coordinates and real releases, oldest first."""

    name: str
    #: purl without version: ``type/name`` or ``type/namespace/name``
    purl: str
    versions: tuple[str, ...]
    #: ``part:vendor:product`` of its NVD CPE, when one exists
    cpe: str | None = None
    license: str | None = None
    supplier: str | None = None
    kind: str = "library"
    #: packages of one family share a release position (``@angular/*``, jackson, ...)
    family: str | None = None
    #: names of packages it links against (dependency edges when both are present)
    requires: tuple[str, ...] = ()


def _pkg(
    name: str,
    purl: str,
    versions: str,
    cpe: str | None = None,
    license: str | None = None,
    **extra: Any,
) -> Package:
    return Package(name, purl, tuple(versions.split()), cpe, license, **extra)


_ZLIB = ("zlib",)
_SSL = ("openssl", "zlib")

#: native libraries found on embedded Linux and (as DLLs) on Windows devices
NATIVE = (
    _pkg(
        "openssl",
        "generic/openssl",
        "0.9.8zh 1.0.1e 1.0.1t 1.0.2g 1.0.2k 1.0.2u 1.1.0l 1.1.1d 1.1.1k 1.1.1n 1.1.1w",
        "a:openssl:openssl",
        "OpenSSL",
        supplier="OpenSSL Software Foundation",
        requires=_ZLIB,
    ),
    _pkg(
        "zlib",
        "generic/zlib",
        "1.2.3 1.2.5 1.2.7 1.2.8 1.2.11 1.2.12 1.2.13 1.3",
        "a:zlib:zlib",
        "Zlib",
        supplier="zlib project",
    ),
    _pkg(
        "libpng",
        "generic/libpng",
        "1.2.50 1.5.13 1.6.16 1.6.23 1.6.34 1.6.36 1.6.37 1.6.39",
        "a:libpng:libpng",
        "Libpng",
        supplier="libpng project",
        requires=_ZLIB,
    ),
    _pkg(
        "sqlite",
        "generic/sqlite",
        "3.7.17 3.8.10.2 3.11.0 3.14.2 3.22.0 3.27.2 3.31.1 3.34.1 3.40.1",
        "a:sqlite:sqlite",
        "blessing",
        supplier="SQLite Consortium",
    ),
    _pkg(
        "curl",
        "generic/curl",
        "7.29.0 7.40.0 7.47.0 7.52.1 7.58.0 7.64.0 7.68.0 7.74.0 7.81.0 7.88.1",
        "a:haxx:curl",
        "curl",
        supplier="curl project",
        requires=_SSL,
    ),
    _pkg(
        "expat",
        "generic/expat",
        "2.1.0 2.1.1 2.2.0 2.2.5 2.2.6 2.2.9 2.2.10 2.4.1 2.5.0",
        "a:libexpat_project:libexpat",
        "MIT",
        supplier="libexpat project",
    ),
    _pkg(
        "libxml2",
        "generic/libxml2",
        "2.7.8 2.9.1 2.9.3 2.9.4 2.9.8 2.9.10 2.9.12 2.9.14 2.10.3",
        "a:xmlsoft:libxml2",
        "MIT",
        supplier="GNOME Project",
        requires=_ZLIB,
    ),
    _pkg(
        "libjpeg-turbo",
        "generic/libjpeg-turbo",
        "1.2.1 1.3.1 1.4.2 1.5.1 1.5.3 2.0.2 2.0.4 2.0.6 2.1.4",
        "a:libjpeg-turbo:libjpeg-turbo",
        "IJG AND BSD-3-Clause AND Zlib",
        supplier="libjpeg-turbo project",
    ),
    _pkg(
        "freetype",
        "generic/freetype",
        "2.4.11 2.5.5 2.6.3 2.8.1 2.9.1 2.10.1 2.10.4 2.12.1",
        "a:freetype:freetype",
        "FTL OR GPL-2.0-or-later",
        supplier="FreeType Project",
        requires=("libpng", "zlib"),
    ),
    _pkg(
        "libtiff",
        "generic/libtiff",
        "4.0.3 4.0.6 4.0.9 4.1.0 4.2.0 4.3.0 4.4.0",
        "a:libtiff:libtiff",
        "libtiff",
        requires=("libjpeg-turbo", "zlib"),
    ),
    _pkg(
        "pcre",
        "generic/pcre",
        "8.32 8.38 8.39 8.41 8.42 8.44 8.45",
        "a:pcre:pcre",
        "BSD-3-Clause",
    ),
    _pkg(
        "dcmtk",
        "generic/dcmtk",
        "3.6.0 3.6.2 3.6.3 3.6.4 3.6.5 3.6.6 3.6.7",
        "a:offis:dcmtk",
        "BSD-3-Clause",
        supplier="OFFIS e.V.",
        requires=("openssl", "libxml2", "zlib"),
    ),
    _pkg(
        "protobuf",
        "generic/protobuf",
        "2.6.1 3.0.0 3.6.1 3.11.4 3.19.4 3.21.12",
        "a:google:protobuf",
        "BSD-3-Clause",
    ),
    _pkg("lua", "generic/lua", "5.1.5 5.2.4 5.3.5 5.3.6 5.4.4", "a:lua:lua", "MIT"),
)

#: userland of embedded Linux devices (besides :data:`NATIVE`)
EMBEDDED = (
    _pkg(
        "busybox",
        "generic/busybox",
        "1.20.2 1.22.1 1.24.1 1.27.2 1.29.3 1.30.1 1.31.1 1.33.1 1.35.0",
        "a:busybox:busybox",
        "GPL-2.0-only",
        kind="application",
    ),
    _pkg(
        "dropbear",
        "generic/dropbear",
        "2013.62 2014.63 2015.67 2016.74 2017.75 2018.76 2019.78 2020.81 2022.82",
        "a:dropbear_ssh_project:dropbear_ssh",
        "MIT",
        kind="application",
        requires=_ZLIB,
    ),
    _pkg(
        "glibc",
        "generic/glibc",
        "2.19 2.23 2.24 2.27 2.28 2.31 2.35",
        "a:gnu:glibc",
        "LGPL-2.1-or-later",
        supplier="GNU Project",
    ),
    _pkg(
        "u-boot",
        "generic/u-boot",
        "2013.07 2016.03 2017.09 2018.03 2019.07 2020.04 2021.01 2022.04",
        "a:denx:u-boot",
        "GPL-2.0-or-later",
        kind="firmware",
    ),
    _pkg(
        "gcc-runtime",
        "generic/gcc",
        "4.9.4 5.4.0 6.4.0 7.3.0 8.3.0 9.3.0 10.2.0 11.3.0",
        "a:gnu:gcc",
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        supplier="GNU Project",
    ),
    _pkg(
        "dbus",
        "generic/dbus",
        "1.6.12 1.8.22 1.10.24 1.12.10 1.12.16 1.12.20 1.14.4",
        "a:freedesktop:dbus",
        "AFL-2.1 OR GPL-2.0-or-later",
        requires=("expat",),
    ),
    _pkg("bash", "generic/bash", "4.2 4.3 4.4 5.0 5.1 5.2", "a:gnu:bash", "GPL-3.0-or-later"),
    _pkg("ncurses", "generic/ncurses", "5.9 6.0 6.1 6.2 6.3", "a:gnu:ncurses"),
    _pkg(
        "util-linux",
        "generic/util-linux",
        "2.23.2 2.27.1 2.29.2 2.32.1 2.33.1 2.35.2 2.36.1 2.37.4",
        "a:kernel:util-linux",
    ),
    _pkg(
        "e2fsprogs",
        "generic/e2fsprogs",
        "1.42.9 1.43.4 1.44.5 1.45.5 1.46.2 1.46.5",
        "a:e2fsprogs_project:e2fsprogs",
    ),
    _pkg(
        "json-c",
        "generic/json-c",
        "0.11 0.12.1 0.13.1 0.15 0.16",
        "a:json-c_project:json-c",
        "MIT",
    ),
    _pkg(
        "libgcrypt",
        "generic/libgcrypt",
        "1.6.5 1.7.6 1.8.2 1.8.4 1.8.7 1.9.4",
        "a:gnupg:libgcrypt",
        "LGPL-2.1-or-later",
    ),
    _pkg(
        "ntp",
        "generic/ntp",
        "4.2.6p5 4.2.8p8 4.2.8p10 4.2.8p12 4.2.8p13 4.2.8p15",
        "a:ntp:ntp",
        "NTP",
        kind="application",
        requires=("openssl",),
    ),
    _pkg(
        "wpa_supplicant",
        "generic/wpa_supplicant",
        "2.0 2.4 2.5 2.6 2.7 2.9 2.10",
        "a:w1.fi:wpa_supplicant",
        "BSD-3-Clause",
        kind="application",
        family="hostap",
        requires=("openssl",),
    ),
    _pkg(
        "hostapd",
        "generic/hostapd",
        "2.0 2.4 2.5 2.6 2.7 2.9 2.10",
        "a:w1.fi:hostapd",
        "BSD-3-Clause",
        kind="application",
        family="hostap",
        requires=("openssl",),
    ),
    _pkg(
        "lighttpd",
        "generic/lighttpd",
        "1.4.35 1.4.45 1.4.48 1.4.53 1.4.59 1.4.64",
        "a:lighttpd:lighttpd",
        "BSD-3-Clause",
        kind="application",
        requires=("openssl", "pcre", "zlib"),
    ),
    _pkg(
        "nginx",
        "generic/nginx",
        "1.10.3 1.12.2 1.14.2 1.16.1 1.18.0 1.20.2 1.22.1",
        "a:nginx:nginx",
        "BSD-2-Clause",
        kind="application",
        requires=("openssl", "pcre", "zlib"),
    ),
    _pkg(
        "qtbase",
        "generic/qtbase",
        "4.8.7 5.6.3 5.9.4 5.12.7 5.15.2",
        "a:qt:qt",
        kind="framework",
        requires=("freetype", "libpng", "libjpeg-turbo", "openssl", "zlib"),
    ),
    _pkg(
        "avahi",
        "generic/avahi",
        "0.6.31 0.7 0.8",
        "a:avahi:avahi",
        "LGPL-2.1-or-later",
        requires=("dbus", "expat"),
    ),
    _pkg(
        "systemd",
        "generic/systemd",
        "219 232 241 245 247 250",
        "a:systemd_project:systemd",
        "LGPL-2.1-or-later",
        requires=("dbus", "util-linux"),
    ),
    _pkg(
        "bluez",
        "generic/bluez",
        "5.37 5.43 5.48 5.50 5.54 5.55 5.64",
        "a:bluez:bluez",
        "GPL-2.0-or-later",
        requires=("dbus",),
    ),
    _pkg(
        "mosquitto",
        "generic/mosquitto",
        "1.4.10 1.4.15 1.5.8 1.6.9 2.0.11 2.0.15",
        "a:eclipse:mosquitto",
        kind="application",
        requires=("openssl",),
    ),
    _pkg(
        "dnsmasq",
        "generic/dnsmasq",
        "2.76 2.78 2.80 2.85 2.89",
        "a:thekelleys:dnsmasq",
        kind="application",
    ),
    _pkg(
        "procps-ng",
        "generic/procps-ng",
        "3.3.10 3.3.12 3.3.15 3.3.16 3.3.17",
        "a:procps-ng_project:procps-ng",
        "GPL-2.0-or-later",
    ),
    _pkg(
        "python",
        "generic/python",
        "2.7.9 2.7.15 3.5.2 3.6.8 3.7.7 3.8.10 3.9.16 3.10.12",
        "a:python:python",
        "Python-2.0",
        kind="application",
        requires=("openssl", "sqlite", "expat", "zlib"),
    ),
    _pkg("iptables", "generic/iptables", "1.4.21 1.6.1 1.8.2 1.8.4 1.8.7", None, "GPL-2.0-only"),
    _pkg(
        "libusb",
        "generic/libusb",
        "1.0.20 1.0.21 1.0.22 1.0.23 1.0.24 1.0.26",
        None,
        "LGPL-2.1-or-later",
    ),
    _pkg("readline", "generic/readline", "6.3 7.0 8.0 8.1 8.2", None, "GPL-3.0-or-later"),
    _pkg("libffi", "generic/libffi", "3.2.1 3.3 3.4.2", None, "MIT"),
    _pkg("alsa-lib", "generic/alsa-lib", "1.1.0 1.1.6 1.2.2 1.2.6", None, "LGPL-2.1-or-later"),
    _pkg("iproute2", "generic/iproute2", "4.4.0 4.14.1 5.4.0 5.10.0", None, "GPL-2.0-or-later"),
    _pkg(
        "fontconfig", "generic/fontconfig", "2.11.1 2.12.6 2.13.1", requires=("freetype", "expat")
    ),
)

KERNEL = _pkg(
    "linux",
    "generic/linux",
    "2.6.35 3.0.35 3.10.17 3.14.79 4.1.15 4.4.52 4.9.88 4.14.98 4.19.94 5.4.70 5.10.72 5.15.71",
    "o:linux:linux_kernel",
    "GPL-2.0-only",
    kind="operating-system",
)
OPENSSH = _pkg(
    "openssh",
    "generic/openssh",
    "5.3p1 6.6p1 7.2p2 7.4p1 7.9p1 8.2p1 8.4p1 8.9p1 9.3p1",
    "a:openbsd:openssh",
    "SSH-OpenSSH",
    kind="application",
    requires=_SSL,
)
#: real-time operating systems of a co-processor board, with the network stack they carry
RTOSES = (
    _pkg(
        "FreeRTOS-Kernel",
        "generic/freertos",
        "10.0.1 10.2.1 10.3.1 10.4.3 10.4.6",
        None,
        "MIT",
        kind="operating-system",
    ),
    _pkg(
        "zephyr",
        "generic/zephyr",
        "1.14.0 2.2.0 2.4.0 2.7.0 3.2.0",
        "o:zephyrproject:zephyr",
        "Apache-2.0",
        kind="operating-system",
    ),
    _pkg(
        "VxWorks",
        "generic/windriver/vxworks",
        "6.6 6.7 6.8 6.9 7.0",
        "o:windriver:vxworks",
        supplier="Wind River Systems",
        kind="operating-system",
    ),
)
RTOS_STACK = (
    _pkg("lwip", "generic/lwip", "1.4.1 2.0.2 2.0.3 2.1.2 2.1.3", None, "BSD-3-Clause"),
    _pkg(
        "mbedtls",
        "generic/mbedtls",
        "2.7.0 2.16.0 2.16.6 2.16.12 2.28.0 2.28.3",
        "a:arm:mbed_tls",
        "Apache-2.0",
    ),
)

_ASPNET = "aspnet"
#: .NET Framework devices: the framework and NuGet packages
DOTNET = _pkg(
    "Microsoft .NET Framework",
    "generic/microsoft/.net-framework",
    "3.5 4.0 4.5.2 4.6.1 4.7.2 4.8",
    "a:microsoft:.net_framework",
    supplier="Microsoft Corporation",
    kind="framework",
)
NUGET = (
    _pkg(
        "Newtonsoft.Json",
        "nuget/Newtonsoft.Json",
        "6.0.8 9.0.1 10.0.3 11.0.2 12.0.3 13.0.1 13.0.3",
        "a:newtonsoft:json.net",
        "MIT",
    ),
    _pkg(
        "log4net",
        "nuget/log4net",
        "1.2.10 2.0.3 2.0.8 2.0.12 2.0.15",
        "a:apache:log4net",
        "Apache-2.0",
    ),
    _pkg("NLog", "nuget/NLog", "3.2.1 4.4.12 4.5.11 4.7.15 5.1.2", None, "BSD-3-Clause"),
    _pkg("EntityFramework", "nuget/EntityFramework", "5.0.0 6.1.3 6.2.0 6.4.4"),
    _pkg(
        "System.Data.SQLite.Core", "nuget/System.Data.SQLite.Core", "1.0.98.1 1.0.109.2 1.0.113.7"
    ),
    _pkg("BouncyCastle", "nuget/BouncyCastle", "1.7.0 1.8.1 1.8.5 1.8.9", None, "MIT"),
    _pkg(
        "Microsoft.AspNet.Mvc",
        "nuget/Microsoft.AspNet.Mvc",
        "4.0.30506 5.2.3 5.2.7",
        family=_ASPNET,
        requires=("Microsoft.AspNet.Razor", "Microsoft.AspNet.WebPages"),
    ),
    _pkg(
        "Microsoft.AspNet.Razor",
        "nuget/Microsoft.AspNet.Razor",
        "2.0.30506 3.2.3 3.2.7",
        family=_ASPNET,
    ),
    _pkg(
        "Microsoft.AspNet.WebPages",
        "nuget/Microsoft.AspNet.WebPages",
        "2.0.30506 3.2.3 3.2.7",
        family=_ASPNET,
    ),
    _pkg("Microsoft.AspNet.WebApi.Core", "nuget/Microsoft.AspNet.WebApi.Core", "5.2.3 5.2.7 5.2.9"),
    _pkg(
        "Microsoft.AspNet.SignalR.Core", "nuget/Microsoft.AspNet.SignalR.Core", "2.2.1 2.4.1 2.4.3"
    ),
    _pkg("Microsoft.Owin", "nuget/Microsoft.Owin", "3.0.1 4.0.1 4.2.2", requires=("Owin",)),
    _pkg("Owin", "nuget/Owin", "1.0.0"),
    _pkg("Autofac", "nuget/Autofac", "3.5.2 4.6.2 4.9.4 6.4.0", None, "MIT"),
    _pkg("AutoMapper", "nuget/AutoMapper", "4.2.1 6.2.2 8.1.1 10.1.1", None, "MIT"),
    _pkg("Castle.Core", "nuget/Castle.Core", "3.3.3 4.2.1 4.4.1", None, "Apache-2.0"),
    _pkg("Dapper", "nuget/Dapper", "1.50.2 1.60.6 2.0.123", None, "Apache-2.0"),
    _pkg("fo-dicom.Desktop", "nuget/fo-dicom.Desktop", "3.0.2 4.0.7", None, "MS-PL"),
    _pkg("Npgsql", "nuget/Npgsql", "3.2.7 4.1.3 6.0.7", None, "PostgreSQL"),
    _pkg("protobuf-net", "nuget/protobuf-net", "2.0.0.668 2.4.6", None, "Apache-2.0"),
    _pkg("Google.Protobuf", "nuget/Google.Protobuf", "3.5.1 3.11.4 3.21.9", None, "BSD-3-Clause"),
    _pkg("RestSharp", "nuget/RestSharp", "105.2.3 106.6.10 106.15.0", None, "Apache-2.0"),
    _pkg("SharpZipLib", "nuget/SharpZipLib", "0.86.0 1.2.0 1.3.3"),
    _pkg("DotNetZip", "nuget/DotNetZip", "1.9.1.8 1.13.8 1.16.0", None, "MS-PL"),
    _pkg("HtmlAgilityPack", "nuget/HtmlAgilityPack", "1.4.9 1.8.10 1.11.46", None, "MIT"),
    _pkg("Quartz", "nuget/Quartz", "2.3.3 3.0.7 3.6.2", None, "Apache-2.0"),
    _pkg("Serilog", "nuget/Serilog", "2.5.0 2.8.0 2.12.0", None, "Apache-2.0"),
    _pkg("System.Net.Http", "nuget/System.Net.Http", "4.3.0 4.3.4"),
    _pkg("Polly", "nuget/Polly", "5.9.0 7.2.1", None, "BSD-3-Clause"),
    _pkg("CommandLineParser", "nuget/CommandLineParser", "1.9.71 2.8.0", None, "MIT"),
    _pkg("iTextSharp", "nuget/iTextSharp", "5.5.9 5.5.13.3", None, "AGPL-3.0-only"),
    _pkg("PDFsharp", "nuget/PDFsharp", "1.32.3057 1.50.5147", None, "MIT"),
    _pkg("MahApps.Metro", "nuget/MahApps.Metro", "1.5.0 1.6.5 2.4.9", None, "MIT"),
    _pkg("Unity", "nuget/Unity", "4.0.1 5.11.10", None, "Apache-2.0"),
    _pkg("Grpc.Core", "nuget/Grpc.Core", "1.19.0 2.46.6", None, "Apache-2.0"),
    _pkg("SSH.NET", "nuget/SSH.NET", "2016.1.0 2020.0.2", None, "MIT"),
    _pkg("MQTTnet", "nuget/MQTTnet", "3.0.16 4.1.4", None, "MIT"),
    _pkg(
        "Microsoft.Data.SqlClient",
        "nuget/Microsoft.Data.SqlClient",
        "1.1.3 2.1.4 5.1.1",
        None,
        "MIT",
    ),
)
#: Windows applications bundled with devices
WINDOWS_APPS = (
    _pkg("7-Zip", "generic/7-zip", "9.20 15.14 16.04 18.05 19.00 21.07 22.01", "a:7-zip:7-zip"),
    _pkg(
        "Microsoft Visual C++ Redistributable",
        "generic/microsoft/vcredist",
        "10.0.40219 12.0.40660 14.16.27033 14.29.30133",
        supplier="Microsoft Corporation",
    ),
)

_JACKSON = "jackson"
_SPRING = "spring"
JAVA_RUNTIMES = (
    _pkg(
        "Java SE Runtime Environment",
        "generic/oracle/jre",
        "1.7.0_80 1.8.0_151 1.8.0_202",
        "a:oracle:jre",
        supplier="Oracle Corporation",
        kind="framework",
    ),
    _pkg(
        "OpenJDK",
        "generic/openjdk",
        "11.0.12 11.0.20 17.0.8",
        "a:oracle:openjdk",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        kind="framework",
    ),
)
MAVEN = (
    _pkg(
        "log4j-core",
        "maven/org.apache.logging.log4j/log4j-core",
        "2.8.2 2.11.1 2.13.3 2.17.1 2.20.0",
        "a:apache:log4j",
        "Apache-2.0",
    ),
    _pkg("log4j", "maven/log4j/log4j", "1.2.16 1.2.17", "a:apache:log4j", "Apache-2.0"),
    _pkg(
        "jackson-databind",
        "maven/com.fasterxml.jackson.core/jackson-databind",
        "2.6.7 2.8.11 2.9.8 2.10.5 2.12.3 2.13.4.2",
        "a:fasterxml:jackson-databind",
        "Apache-2.0",
        family=_JACKSON,
        requires=("jackson-core",),
    ),
    _pkg(
        "jackson-core",
        "maven/com.fasterxml.jackson.core/jackson-core",
        "2.6.7 2.8.11 2.9.8 2.10.5 2.12.3 2.13.4",
        None,
        "Apache-2.0",
        family=_JACKSON,
    ),
    _pkg(
        "commons-collections",
        "maven/commons-collections/commons-collections",
        "3.2.1 3.2.2",
        "a:apache:commons_collections",
        "Apache-2.0",
    ),
    _pkg(
        "commons-io",
        "maven/commons-io/commons-io",
        "2.4 2.6 2.8.0 2.11.0",
        "a:apache:commons_io",
        "Apache-2.0",
    ),
    _pkg(
        "commons-lang3",
        "maven/org.apache.commons/commons-lang3",
        "3.4 3.8.1 3.12.0",
        None,
        "Apache-2.0",
    ),
    _pkg(
        "commons-text",
        "maven/org.apache.commons/commons-text",
        "1.6 1.9 1.10.0",
        "a:apache:commons_text",
        "Apache-2.0",
        requires=("commons-lang3",),
    ),
    _pkg(
        "commons-codec", "maven/commons-codec/commons-codec", "1.10 1.11 1.15", None, "Apache-2.0"
    ),
    _pkg(
        "guava",
        "maven/com.google.guava/guava",
        "19.0 23.0 28.2-jre 31.1-jre",
        "a:google:guava",
        "Apache-2.0",
    ),
    _pkg(
        "spring-core",
        "maven/org.springframework/spring-core",
        "4.3.9.RELEASE 5.1.5.RELEASE 5.2.8.RELEASE 5.3.20",
        None,
        "Apache-2.0",
        family=_SPRING,
    ),
    _pkg(
        "spring-web",
        "maven/org.springframework/spring-web",
        "4.3.9.RELEASE 5.1.5.RELEASE 5.2.8.RELEASE 5.3.20",
        None,
        "Apache-2.0",
        family=_SPRING,
        requires=("spring-core",),
    ),
    _pkg(
        "tomcat-embed-core",
        "maven/org.apache.tomcat.embed/tomcat-embed-core",
        "8.5.23 9.0.16 9.0.41 9.0.65",
        "a:apache:tomcat",
        "Apache-2.0",
    ),
    _pkg("netty-all", "maven/io.netty/netty-all", "4.1.19.Final 4.1.42.Final 4.1.86.Final"),
    _pkg(
        "h2",
        "maven/com.h2database/h2",
        "1.4.196 1.4.199 1.4.200 2.1.214",
        "a:h2database:h2",
        "MPL-2.0 OR EPL-1.0",
    ),
    _pkg(
        "hibernate-core",
        "maven/org.hibernate/hibernate-core",
        "5.2.10.Final 5.4.2.Final 5.6.15.Final",
        None,
        "LGPL-2.1-only",
    ),
    _pkg("slf4j-api", "maven/org.slf4j/slf4j-api", "1.7.25 1.7.30 1.7.36", None, "MIT"),
    _pkg(
        "logback-classic",
        "maven/ch.qos.logback/logback-classic",
        "1.2.3 1.2.11",
        "a:qos:logback",
        "EPL-1.0 OR LGPL-2.1-only",
        requires=("slf4j-api",),
    ),
    _pkg("bcprov-jdk15on", "maven/org.bouncycastle/bcprov-jdk15on", "1.56 1.60 1.70", None, "MIT"),
    _pkg(
        "xstream",
        "maven/com.thoughtworks.xstream/xstream",
        "1.4.10 1.4.11.1 1.4.19",
        "a:xstream_project:xstream",
        "BSD-3-Clause",
    ),
    _pkg(
        "snakeyaml",
        "maven/org.yaml/snakeyaml",
        "1.17 1.23 1.33",
        "a:snakeyaml_project:snakeyaml",
        "Apache-2.0",
    ),
    _pkg("dcm4che-core", "maven/org.dcm4che/dcm4che-core", "3.3.8", None, "MPL-1.1"),
    _pkg(
        "httpclient",
        "maven/org.apache.httpcomponents/httpclient",
        "4.5.2 4.5.6 4.5.13",
        "a:apache:httpclient",
        "Apache-2.0",
        requires=("commons-codec",),
    ),
    _pkg(
        "gson",
        "maven/com.google.code.gson/gson",
        "2.8.0 2.8.5 2.8.9",
        "a:google:gson",
        "Apache-2.0",
    ),
    _pkg(
        "postgresql",
        "maven/org.postgresql/postgresql",
        "42.1.4 42.2.5 42.5.1",
        "a:postgresql:postgresql_jdbc_driver",
        "BSD-2-Clause",
    ),
    _pkg("poi", "maven/org.apache.poi/poi", "3.17 4.1.2 5.2.3", "a:apache:poi", "Apache-2.0"),
    _pkg("quartz", "maven/org.quartz-scheduler/quartz", "2.2.3 2.3.2", None, "Apache-2.0"),
)
PYPI = (
    _pkg(
        "requests",
        "pypi/requests",
        "2.22.0 2.25.1 2.28.2",
        None,
        "Apache-2.0",
        requires=("urllib3",),
    ),
    _pkg("urllib3", "pypi/urllib3", "1.25.8 1.26.5 1.26.15", None, "MIT"),
    _pkg("flask", "pypi/flask", "1.1.1 2.0.3 2.2.3", None, "BSD-3-Clause", family="flask"),
    _pkg("werkzeug", "pypi/werkzeug", "0.16.1 2.0.3 2.2.3", None, "BSD-3-Clause", family="flask"),
    _pkg("jinja2", "pypi/jinja2", "2.10.1 3.0.3 3.1.2", None, "BSD-3-Clause", family="flask"),
    _pkg(
        "markupsafe", "pypi/markupsafe", "1.1.1 2.0.1 2.1.2", None, "BSD-3-Clause", family="flask"
    ),
    _pkg("pyyaml", "pypi/pyyaml", "5.3.1 5.4.1 6.0", None, "MIT"),
    _pkg("numpy", "pypi/numpy", "1.17.4 1.19.5 1.24.2", None, "BSD-3-Clause"),
    _pkg("pydicom", "pypi/pydicom", "1.4.2 2.1.2 2.3.1", None, "MIT"),
    _pkg("pillow", "pypi/pillow", "7.0.0 8.1.2 9.4.0", None, "HPND"),
    _pkg(
        "cryptography", "pypi/cryptography", "2.8 3.3.2 39.0.1", None, "Apache-2.0 OR BSD-3-Clause"
    ),
    _pkg("pyserial", "pypi/pyserial", "3.4 3.5", None, "BSD-3-Clause"),
    _pkg("six", "pypi/six", "1.14.0 1.16.0", None, "MIT"),
    _pkg("certifi", "pypi/certifi", "2019.11.28 2020.12.5 2022.12.7", None, "MPL-2.0"),
    _pkg("idna", "pypi/idna", "2.8 2.10 3.4", None, "BSD-3-Clause"),
)

_NG = "angular"
_NGJS = "angularjs"
#: a legacy web user interface (AngularJS + jQuery)
WEB_LEGACY = (
    _pkg(
        "jquery",
        "npm/jquery",
        "1.8.3 1.11.3 1.12.4 2.2.4 3.3.1 3.4.1 3.5.1 3.6.0",
        "a:jquery:jquery",
        "MIT",
    ),
    _pkg(
        "jquery-ui",
        "npm/jquery-ui",
        "1.10.4 1.11.4 1.12.1 1.13.2",
        "a:jqueryui:jquery_ui",
        "MIT",
        requires=("jquery",),
    ),
    _pkg(
        "bootstrap",
        "npm/bootstrap",
        "2.3.2 3.3.7 3.4.1 4.3.1 4.6.0",
        "a:getbootstrap:bootstrap",
        "MIT",
        requires=("jquery",),
    ),
    _pkg(
        "angular",
        "npm/angular",
        "1.2.32 1.3.20 1.4.14 1.5.8 1.6.10 1.7.9 1.8.2",
        "a:angularjs:angular.js",
        "MIT",
        family=_NGJS,
    ),
    _pkg(
        "angular-route",
        "npm/angular-route",
        "1.2.32 1.3.20 1.4.14 1.5.8 1.6.10 1.7.9 1.8.2",
        None,
        "MIT",
        family=_NGJS,
        requires=("angular",),
    ),
    _pkg(
        "angular-animate",
        "npm/angular-animate",
        "1.2.32 1.3.20 1.4.14 1.5.8 1.6.10 1.7.9 1.8.2",
        None,
        "MIT",
        family=_NGJS,
        requires=("angular",),
    ),
    _pkg(
        "angular-sanitize",
        "npm/angular-sanitize",
        "1.2.32 1.3.20 1.4.14 1.5.8 1.6.10 1.7.9 1.8.2",
        None,
        "MIT",
        family=_NGJS,
        requires=("angular",),
    ),
    _pkg("underscore", "npm/underscore", "1.8.3 1.9.1 1.13.1", "a:underscorejs:underscore", "MIT"),
    _pkg("handlebars", "npm/handlebars", "4.0.5 4.1.2 4.7.7", "a:handlebarsjs:handlebars", "MIT"),
    _pkg("knockout", "npm/knockout", "3.4.2 3.5.1", None, "MIT"),
    _pkg("requirejs", "npm/requirejs", "2.1.22 2.3.6", None, "MIT"),
    _pkg("datatables.net", "npm/datatables.net", "1.10.12 1.10.19 1.11.5", None, "MIT"),
    _pkg("socket.io-client", "npm/socket.io-client", "1.4.8 2.2.0 4.5.1", None, "MIT"),
    _pkg("font-awesome", "npm/font-awesome", "4.3.0 4.7.0"),
)
#: a newer web user interface (Angular 8-14)
_NG_VERSIONS = "8.2.14 9.1.13 10.2.5 11.2.14 12.2.17 13.3.12 14.3.0"
WEB_ANGULAR = (
    *(
        _pkg(
            f"@angular/{part}",
            f"npm/@angular/{part}",
            _NG_VERSIONS,
            "a:angular:angular" if part == "core" else None,
            "MIT",
            family=_NG,
            requires=() if part == "core" else ("@angular/core",),
        )
        for part in (
            "core",
            "common",
            "compiler",
            "forms",
            "router",
            "animations",
            "platform-browser",
            "platform-browser-dynamic",
        )
    ),
    _pkg(
        "rxjs",
        "npm/rxjs",
        "6.4.0 6.5.5 6.6.3 6.6.7 6.6.7 7.5.7 7.5.7",
        None,
        "Apache-2.0",
        family=_NG,
    ),
    _pkg(
        "zone.js",
        "npm/zone.js",
        "0.9.1 0.10.3 0.10.3 0.11.4 0.11.8 0.11.8 0.11.8",
        None,
        "MIT",
        family=_NG,
    ),
    _pkg("tslib", "npm/tslib", "1.10.0 1.13.0 2.0.3 2.1.0 2.3.1 2.4.1 2.5.0", family=_NG),
    _pkg(
        "core-js",
        "npm/core-js",
        "2.6.12 3.6.5 3.6.5 3.8.3 3.19.1 3.21.1 3.26.1",
        None,
        "MIT",
        family=_NG,
    ),
)
#: charts and utilities used by either kind of web user interface
WEB_COMMON = (
    _pkg("moment", "npm/moment", "2.10.6 2.18.1 2.24.0 2.29.1 2.29.4", "a:momentjs:moment", "MIT"),
    _pkg("lodash", "npm/lodash", "3.10.1 4.17.4 4.17.11 4.17.15 4.17.21", "a:lodash:lodash", "MIT"),
    _pkg("chart.js", "npm/chart.js", "2.7.2 2.9.4 3.9.1", "a:chartjs:chart.js", "MIT"),
    _pkg("d3", "npm/d3", "3.5.17 4.13.0 5.16.0 7.6.1"),
)


@dataclass(frozen=True, slots=True)
class Distribution:
    """A Linux distribution image: its OS component and binary packages (fixed versions)."""

    name: str
    version: str
    cpe: str | None
    purl_type: str
    namespace: str
    qualifiers: tuple[tuple[str, str], ...]
    supplier: str
    era: float
    packages: tuple[tuple[str, str], ...]


def _packages(text: str) -> tuple[tuple[str, str], ...]:
    pairs = (line.split() for line in text.strip().splitlines())
    return tuple((name, version) for name, version in pairs)


DISTRIBUTIONS = {
    "Debian 11": Distribution(
        "Debian GNU/Linux",
        "11",
        "cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*",
        "deb",
        "debian",
        (("arch", "amd64"), ("distro", "debian-11")),
        "Debian Project",
        0.75,
        _packages(
            """
            base-files 11.1+deb11u7
            bash 5.1-2+deb11u1
            busybox 1:1.30.1-6+b3
            ca-certificates 20210119
            coreutils 8.32-4+b1
            curl 7.74.0-1.3+deb11u7
            dbus 1.12.28-0+deb11u1
            e2fsprogs 1.46.2-2
            gzip 1.10-4+deb11u1
            libc6 2.31-13+deb11u6
            libcurl4 7.74.0-1.3+deb11u7
            libdbus-1-3 1.12.28-0+deb11u1
            libexpat1 2.2.10-2+deb11u5
            libfreetype6 2.10.4+dfsg-1+deb11u1
            libgcrypt20 1.8.7-6
            libgnutls30 3.7.1-5+deb11u3
            libjpeg62-turbo 1:2.0.6-4
            libkrb5-3 1.18.3-6+deb11u3
            libldap-2.4-2 2.4.57+dfsg-3+deb11u1
            liblzma5 5.2.5-2.1~deb11u1
            libncursesw6 6.2+20201114-2+deb11u1
            libpng16-16 1.6.37-3
            libpq5 13.11-0+deb11u1
            libsqlite3-0 3.34.1-3
            libssl1.1 1.1.1n-0+deb11u5
            libsystemd0 247.3-7+deb11u4
            libtiff5 4.2.0-1+deb11u4
            libxml2 2.9.10+dfsg-6.7+deb11u4
            libzstd1 1.4.8+dfsg-2.1
            linux-image-5.10.0-23-amd64 5.10.179-1
            nginx-core 1.18.0-6.1+deb11u3
            openssh-server 1:8.4p1-5+deb11u1
            openssl 1.1.1n-0+deb11u5
            python3.9 3.9.2-1
            sudo 1.9.5p2-3+deb11u1
            systemd 247.3-7+deb11u4
            tar 1.34+dfsg-1
            tzdata 2021a-1+deb11u10
            util-linux 2.36.1-8+deb11u1
            zlib1g 1:1.2.11.dfsg-2+deb11u2
            """
        ),
    ),
    "Ubuntu 20.04 LTS": Distribution(
        "Ubuntu",
        "20.04",
        "cpe:2.3:o:canonical:ubuntu_linux:20.04:*:*:*:lts:*:*:*",
        "deb",
        "ubuntu",
        (("arch", "amd64"), ("distro", "ubuntu-20.04")),
        "Canonical Ltd.",
        0.6,
        _packages(
            """
            base-files 11ubuntu5.7
            bash 5.0-6ubuntu1.2
            ca-certificates 20230311ubuntu0.20.04.1
            coreutils 8.30-3ubuntu2
            curl 7.68.0-1ubuntu2.18
            dbus 1.12.16-2ubuntu2.3
            e2fsprogs 1.45.5-2ubuntu1.1
            gzip 1.10-0ubuntu4.1
            libc6 2.31-0ubuntu9.9
            libcurl4 7.68.0-1ubuntu2.18
            libdbus-1-3 1.12.16-2ubuntu2.3
            libexpat1 2.2.9-1ubuntu0.6
            libfreetype6 2.10.1-2ubuntu0.3
            libgcrypt20 1.8.5-5ubuntu1.1
            libgnutls30 3.6.13-2ubuntu1.8
            libjpeg-turbo8 2.0.3-0ubuntu1.20.04.3
            libkrb5-3 1.17-6ubuntu4.3
            libldap-2.4-2 2.4.49+dfsg-2ubuntu1.9
            liblzma5 5.2.4-1ubuntu1.1
            libncursesw6 6.2-0ubuntu2.1
            libpng16-16 1.6.37-2
            libpq5 12.15-0ubuntu0.20.04.1
            libsqlite3-0 3.31.1-4ubuntu0.5
            libssl1.1 1.1.1f-1ubuntu2.19
            libsystemd0 245.4-4ubuntu3.22
            libtiff5 4.1.0+git191117-2ubuntu0.20.04.8
            libxml2 2.9.10+dfsg-5ubuntu0.20.04.6
            libzstd1 1.4.4+dfsg-3ubuntu0.1
            linux-image-generic 5.4.0.150.148
            nginx-core 1.18.0-0ubuntu1.4
            openssh-server 1:8.2p1-4ubuntu0.9
            openssl 1.1.1f-1ubuntu2.19
            python3.8 3.8.10-0ubuntu1~20.04.8
            sudo 1.8.31-1ubuntu1.5
            systemd 245.4-4ubuntu3.22
            tar 1.30+dfsg-7ubuntu0.20.04.3
            tzdata 2023c-0ubuntu0.20.04.2
            util-linux 2.34-0.1ubuntu9.3
            zlib1g 1:1.2.11.dfsg-2ubuntu1.5
            """
        ),
    ),
    "CentOS 7.9": Distribution(
        "CentOS Linux",
        "7.9.2009",
        None,
        "rpm",
        "centos",
        (("arch", "x86_64"), ("distro", "centos-7")),
        "CentOS Project",
        0.35,
        _packages(
            """
            bash 4.2.46-35.el7_9
            ca-certificates 2023.2.60_v7.0.306-72.el7_9
            centos-release 7-9.2009.1.el7.centos
            coreutils 8.22-24.el7_9.2
            curl 7.29.0-59.el7_9.2
            dbus-libs 1.10.24-15.el7
            e2fsprogs-libs 1.42.9-19.el7
            expat 2.1.0-15.el7_9
            freetype 2.8-14.el7_9.1
            glibc 2.17-326.el7_9
            gnutls 3.3.29-9.el7_6
            gzip 1.5-11.el7_9
            httpd 2.4.6-99.el7.centos.1
            java-1.8.0-openjdk-headless 1.8.0.382.b05-1.el7_9
            kernel 3.10.0-1160.92.1.el7
            krb5-libs 1.15.1-55.el7_9
            libcurl 7.29.0-59.el7_9.2
            libgcrypt 1.5.3-14.el7
            libjpeg-turbo 1.2.90-8.el7
            libpng 1.5.13-8.el7
            libtiff 4.0.3-35.el7
            libxml2 2.9.1-6.el7_9.6
            ncurses-libs 5.9-14.20130511.el7_4
            openldap 2.4.44-25.el7_9
            openssh-server 7.4p1-23.el7_9
            openssl-libs 1.0.2k-26.el7_9
            postgresql-libs 9.2.24-8.el7_9
            python 2.7.5-94.el7_9
            sqlite 3.7.17-8.el7_7.1
            sudo 1.8.23-10.el7_9.3
            systemd 219-78.el7_9.7
            tar 1.26-35.el7
            tzdata 2023c-1.el7
            util-linux 2.23.2-65.el7_9.1
            xz-libs 5.2.2-2.el7_9
            zlib 1.2.7-21.el7_9
            """
        ),
    ),
    "Red Hat Enterprise Linux 8": Distribution(
        "Red Hat Enterprise Linux",
        "8.7",
        "cpe:2.3:o:redhat:enterprise_linux:8.0:*:*:*:*:*:*:*",
        "rpm",
        "redhat",
        (("arch", "x86_64"), ("distro", "rhel-8.7")),
        "Red Hat, Inc.",
        0.6,
        _packages(
            """
            bash 4.4.20-4.el8_6
            ca-certificates 2022.2.54-80.2.el8_6
            coreutils 8.30-13.el8
            curl 7.61.1-25.el8_7.3
            dbus-libs 1.12.8-23.el8_7.1
            e2fsprogs-libs 1.45.6-5.el8
            expat 2.2.5-10.el8_7.1
            freetype 2.9.1-9.el8
            glibc 2.28-211.el8
            gnutls 3.6.16-6.el8_7
            gzip 1.9-13.el8_5
            java-11-openjdk-headless 11.0.19.0.7-1.el8_7
            kernel 4.18.0-425.19.2.el8_7
            krb5-libs 1.18.2-22.el8_7
            libcurl 7.61.1-25.el8_7.3
            libgcrypt 1.8.5-7.el8_6
            libjpeg-turbo 1.5.3-12.el8
            libpng 1.6.34-5.el8
            libpq 13.5-1.el8
            libtiff 4.0.9-26.el8_7
            libxml2 2.9.7-15.el8_7.1
            ncurses-libs 6.1-9.20180224.el8
            openldap 2.4.46-18.el8
            openssh-server 8.0p1-17.el8_7
            openssl-libs 1.1.1k-9.el8_7
            python3-libs 3.6.8-48.el8_7.1
            redhat-release 8.7-0.3.el8
            sqlite-libs 3.26.0-17.el8_7
            sudo 1.8.29-8.el8_7.1
            systemd 239-68.el8_7.4
            tar 1.30-6.el8_7.1
            tzdata 2023c-1.el8
            util-linux 2.32.1-39.el8_7
            xz-libs 5.2.4-4.el8_6
            zlib 1.2.11-21.el8_7
            """
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class WindowsRelease:
    """A Windows release as an OS component."""

    name: str
    version: str
    cpe: str
    era: float


WINDOWS = {
    "Windows XP Embedded": WindowsRelease(
        "Windows XP Embedded", "SP3", "cpe:2.3:o:microsoft:windows_xp:-:sp3:*:*:*:*:*:*", 0.0
    ),
    "Windows Embedded Standard 7": WindowsRelease(
        "Windows Embedded Standard 7", "SP1", "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*", 0.2
    ),
    "Windows 7 Professional SP1": WindowsRelease(
        "Windows 7 Professional", "SP1", "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*", 0.25
    ),
    "Windows 10 IoT Enterprise LTSC 2019": WindowsRelease(
        "Windows 10 IoT Enterprise LTSC 2019",
        "1809",
        "cpe:2.3:o:microsoft:windows_10_1809:-:*:*:*:*:*:x64:*",
        0.55,
    ),
    "Windows 10 Enterprise LTSC 2021": WindowsRelease(
        "Windows 10 Enterprise LTSC 2021",
        "21H2",
        "cpe:2.3:o:microsoft:windows_10_21h2:-:*:*:*:*:*:x64:*",
        0.8,
    ),
}

#: device kinds that handle medical images (they carry a DICOM toolkit)
IMAGING_KINDS = frozenset({"Ultrasound system", "CT scanner"})
_SLUG = re.compile(r"[^a-z0-9]+")
_PATCH = re.compile(r"^(\d+(?:\.\d+)*)(p\d+)$")


def slug(text: str, separator: str = "-") -> str:
    """``"Nordlicht Medizintechnik"`` -> ``"nordlicht-medizintechnik"``."""
    return _SLUG.sub(separator, text.lower()).strip(separator)


def firmware_purl(manufacturer: str, model: str, version: str | None = None) -> str:
    """The purl of a fictional device's firmware (``pkg:generic/<maker>/<model>@<version>``)."""
    return str(PackageURL("generic", slug(manufacturer), slug(model), version).to_string())


def firmware_cpe(manufacturer: str, model: str, version: str = "*") -> str:
    """The CPE 2.3 name of a fictional device's firmware (part ``o``)."""
    product = slug(model, "_") + "_firmware"
    return f"cpe:2.3:o:{slug(manufacturer, '_')}:{product}:{version}:*:*:*:*:*:*:*"


def _cpe(package: Package, version: str) -> str | None:
    if package.cpe is None:
        return None
    update = "*"
    patch = _PATCH.match(version)
    if patch and package.name in {"openssh", "ntp"}:
        version, update = patch[1], patch[2]
    elif "_" in version and package.cpe == "a:oracle:jre":
        version, number = version.split("_", 1)
        update = f"update_{number}"
    return f"cpe:2.3:{package.cpe}:{version}:{update}:*:*:*:*:*:*"


def _license(value: str | None) -> list[dict[str, Any]] | None:
    if not value:
        return None
    if " " in value:
        return [{"expression": value}]
    return [{"license": {"id": value}}]


def _purl(coordinates: str, version: str, qualifiers: dict[str, str] | None = None) -> str:
    kind, _, rest = coordinates.partition("/")
    namespace, _, name = rest.rpartition("/")
    return str(PackageURL(kind, namespace or None, name, version, qualifiers).to_string())


class _Builder:
    """Collects components and dependency edges for one SBOM."""

    def __init__(self, rng: random.Random, era: float) -> None:
        self.rng = rng
        self.era = era
        self.components: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, str] = {}
        self.requires: dict[str, tuple[str, ...]] = {}
        self._family: dict[str, float] = {}

    def _position(self, package: Package) -> float:
        """Where in its release history a package sits (0 oldest .. 1 newest)."""
        if package.family is not None and package.family in self._family:
            return self._family[package.family]
        position = min(1.0, max(0.0, self.era + self.rng.choice((-0.15, 0.0, 0.0, 0.0, 0.15))))
        if package.family is not None:
            self._family[package.family] = position
        return position

    def version_of(self, package: Package) -> str:
        """A release of the package fitting the device's era."""
        return package.versions[round(self._position(package) * (len(package.versions) - 1))]

    def add(self, component: dict[str, Any], name: str, requires: tuple[str, ...] = ()) -> None:
        """Add one component (first one of a name wins)."""
        if name in self.by_name:
            return
        ref = component["bom-ref"]
        self.components[ref] = component
        self.by_name[name] = ref
        self.requires[ref] = requires

    def package(self, package: Package) -> None:
        """Add a catalogue package in a fitting release."""
        version = self.version_of(package)
        component: dict[str, Any] = {
            "type": package.kind,
            "bom-ref": _purl(package.purl, version),
            "name": package.name,
            "version": version,
        }
        if package.supplier:
            component["supplier"] = {"name": package.supplier}
        licenses = _license(package.license)
        if licenses:
            component["licenses"] = licenses
        component["purl"] = component["bom-ref"]
        cpe = _cpe(package, version)
        if cpe:
            component["cpe"] = cpe
        self.add(component, package.name, package.requires)


def _era(version: DemoVersion, released: date) -> float:
    """How recent the device's software is (0 about 2012 .. 1 about 2023)."""
    major = int(version.version.split(".")[0]) if version.version[:1].isdigit() else 1
    by_date = (released.year - 2014) / 9 + 0.05 * (major - 1)
    os_name = version.operating_system or ""
    known = WINDOWS.get(os_name) or DISTRIBUTIONS.get(os_name)
    base = (known.era + by_date) / 2 if known is not None else by_date
    return min(1.0, max(0.0, base))


def _windows(build: _Builder, release: WindowsRelease) -> list[Package]:
    build.add(
        {
            "type": "operating-system",
            "bom-ref": f"os:{slug(release.name)}",
            "name": release.name,
            "version": release.version,
            "supplier": {"name": "Microsoft Corporation"},
            "cpe": release.cpe,
        },
        "os",
    )
    core = [NATIVE[0], NATIVE[1], NATIVE[3], *WINDOWS_APPS]
    optional = [*NATIVE[2:3], *NATIVE[4:], *WINDOWS_APPS]
    if build.rng.random() < 0.7:
        core.append(DOTNET)
        optional += NUGET
    else:
        core.append(JAVA_RUNTIMES[0] if build.era < 0.5 else JAVA_RUNTIMES[1])
        optional += MAVEN
    return _with_web(build, core, optional)


def _distribution(build: _Builder, distro: Distribution) -> list[Package]:
    build.add(
        {
            "type": "operating-system",
            "bom-ref": f"os:{slug(distro.name)}-{distro.version}",
            "name": distro.name,
            "version": distro.version,
            "supplier": {"name": distro.supplier},
            **({"cpe": distro.cpe} if distro.cpe else {}),
        },
        "os",
    )
    qualifiers = dict(distro.qualifiers)
    for name, version in distro.packages:
        ref = str(
            PackageURL(distro.purl_type, distro.namespace, name, version, qualifiers).to_string()
        )
        build.add(
            {
                "type": "library",
                "bom-ref": ref,
                "name": name,
                "version": version,
                "supplier": {"name": distro.supplier},
                "purl": ref,
            },
            name,
        )
    optional: list[Package] = [NATIVE[11], NATIVE[12], NATIVE[13]]
    core: list[Package] = []
    if build.rng.random() < 0.5:
        optional += MAVEN
    else:
        optional += PYPI
    return _with_web(build, core, optional)


def _embedded(build: _Builder) -> list[Package]:
    core = [KERNEL, *EMBEDDED[:3], NATIVE[0], NATIVE[1], NATIVE[2], NATIVE[3]]
    if build.rng.random() < 0.4:
        core[2] = OPENSSH  # OpenSSH instead of Dropbear
    servers = {"lighttpd", "nginx"}
    core.append(build.rng.choice([p for p in EMBEDDED if p.name in servers]))
    optional = [*NATIVE[4:], *(p for p in EMBEDDED[3:] if p.name not in servers)]
    if build.rng.random() < 0.5:
        rtos = build.rng.choice(RTOSES)
        core += [rtos, *RTOS_STACK]
    return _with_web(build, core, optional)


def _with_web(build: _Builder, core: list[Package], optional: list[Package]) -> list[Package]:
    """Add a web user interface to most devices: AngularJS/jQuery when old, Angular when new."""
    if build.rng.random() < 0.75:
        stack = WEB_LEGACY if build.era < 0.55 else WEB_ANGULAR
        core += [p for p in stack if p.family is not None or p.name == "jquery"][:6]
        optional += [p for p in stack if p not in core] + list(WEB_COMMON)
    for package in core:
        build.package(package)
    return optional


def demo_sbom(
    product: DemoProduct, version: DemoVersion, *, released: date, seed: int = 7
) -> bytes:
    """The CycloneDX 1.6 JSON SBOM of one demo product version (deterministic)."""
    key = f"{seed}/{product.manufacturer}/{product.model}/{version.version}"
    rng = random.Random(key)  # noqa: S311 - demo data, not security
    build = _Builder(rng, _era(version, released))
    firmware_ref = f"firmware:{slug(product.model)}@{version.version}"
    digest = hashlib.sha256(f"{key}/firmware".encode()).hexdigest()
    firmware: dict[str, Any] = {
        "type": "firmware",
        "bom-ref": firmware_ref,
        "supplier": {"name": product.manufacturer},
        "name": product.model,
        "version": version.version,
        "description": f"{product.kind} firmware (fictional device of the medtrust demo)",
        "hashes": [{"alg": "SHA-256", "content": digest}],
        "licenses": [{"license": {"name": f"{product.manufacturer} proprietary licence"}}],
        "purl": firmware_purl(product.manufacturer, product.model, version.version),
        "cpe": firmware_cpe(product.manufacturer, product.model, version.version),
    }
    build.add(firmware, "firmware")
    os_name = version.operating_system or ""
    if os_name in WINDOWS:
        optional = _windows(build, WINDOWS[os_name])
    elif os_name in DISTRIBUTIONS:
        optional = _distribution(build, DISTRIBUTIONS[os_name])
    else:
        optional = _embedded(build)
    if product.kind in IMAGING_KINDS:
        build.package(NATIVE[11])  # dcmtk
    target = rng.randint(MIN_COMPONENTS, MAX_COMPONENTS)
    pool = [p for p in optional if p.name not in build.by_name]
    pool = sorted({p.name: p for p in pool}.values(), key=lambda p: p.name)
    rng.shuffle(pool)
    for package in pool:
        if len(build.components) >= target:
            break
        build.package(package)
    return _document(build, firmware_ref, product, version, released, key)


def _document(
    build: _Builder,
    firmware_ref: str,
    product: DemoProduct,
    version: DemoVersion,
    released: date,
    key: str,
) -> bytes:
    firmware = build.components[firmware_ref]
    others = sorted(
        (c for ref, c in build.components.items() if ref != firmware_ref),
        key=lambda c: (c["type"] != "operating-system", c["name"].lower(), c["bom-ref"]),
    )
    dependencies = [{"ref": firmware_ref, "dependsOn": sorted(c["bom-ref"] for c in others)}]
    for component in others:
        ref = component["bom-ref"]
        targets = sorted(
            build.by_name[name] for name in build.requires.get(ref, ()) if name in build.by_name
        )
        dependencies.append({"ref": ref, "dependsOn": [t for t in targets if t != ref]})
    timestamp = datetime(released.year, released.month, released.day, 9, 0, tzinfo=UTC)
    document = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'medtrust-demo/' + key)}",
        "version": 1,
        "metadata": {
            "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
            "lifecycles": [{"phase": "build"}],
            "tools": {"components": [{"type": "application", "name": TOOL_NAME}]},
            "authors": [{"name": f"{product.manufacturer} product security"}],
            "supplier": {"name": product.manufacturer},
            "component": firmware,
            "properties": [
                {"name": "medtrust:demo", "value": "fictional product of the medtrust demo"},
                {"name": "medtrust:device-kind", "value": product.kind},
            ],
        },
        "components": others,
        "dependencies": dependencies,
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")
