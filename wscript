# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# waf build for ns-3.35 and older (contrib/apartment-voip). The file lists live once, in
# CMakeLists.txt; this script reads its set(apartment_voip_<area>_<kind> ...) blocks.

import os
import re

DEPENDENCIES = ['core', 'config-store', 'network', 'internet', 'internet-apps', 'csma', 'bridge',
                'point-to-point', 'applications', 'mobility', 'stats']


def _file_lists(path):
    """Returns {'sources': [...], 'headers': [...], 'tests': [...]} from CMakeLists.txt."""
    text = open(os.path.join(path, 'CMakeLists.txt')).read()
    lists = {'sources': [], 'headers': [], 'tests': []}
    for kind, body in re.findall(r'set\(apartment_voip_\w+?_(sources|headers|tests)\s+([^)]*)\)',
                                 text):
        lists[kind].extend(body.split())
    return lists


# Warnings for our own code only (set on our task generators): conf.env's CXXFLAGS would
# apply them to every ns-3 module of the tree.
WARNINGS = ['-Wall']  # ns-3's headers are not system headers in a tree: -Wextra floods


def _ns3_version(bld):
    """100 * major + minor of the tree's release (its VERSION file), as CMakeLists.txt
    defines APARTMENT_VOIP_NS3_VERSION for model/apartment-voip-compat.h."""
    try:
        text = open(os.path.join(bld.srcnode.abspath(), 'VERSION')).read()
    except IOError:
        text = ''
    match = re.match(r'\s*(\d+)\.(\d+)', text)
    return int(match.group(1)) * 100 + int(match.group(2)) if match else 399


def configure(conf):
    # OpenSSL's libcrypto (Debian: libssl-dev) for SIP digest authentication and KEEP's HMAC;
    # without it the module builds and authentication is unavailable.
    have = conf.check_cfg(package='libcrypto', uselib_store='CRYPTO',
                          args=['--cflags', '--libs'], mandatory=False)
    conf.env['APARTMENT_VOIP_HAVE_CRYPTO'] = bool(have)
    conf.report_optional_feature('apartment-voip-crypto', 'apartment-voip authentication',
                                 bool(have), 'libcrypto (libssl-dev) not found')


def _post_ns3_headers(bld):
    """With --targets, waf creates only the tasks of the named programs and of what they link:
    the tasks that copy each module's headers into build/ns3/ (and write <module>-module.h)
    never run. ns-3.35's wscript means to create them for --run, but looks for task generator
    classes that waf 2 no longer has. The module's sources then miss "ns3/queue.h", or,
    where an ns-3 is installed system-wide (Debian's libns3-dev: /usr/include/ns3), get that
    other release's header without a word. Creating them here, after ns-3 has marked the
    disabled modules' headers for removal, does what a plain ./waf build does."""
    if not bld.targets or bld.targets == '*':
        return
    for feature in ('ns3header', 'ns3privateheader', 'ns3moduleheader'):
        for group in bld.groups:
            for gen in group:
                if feature in gen.to_list(getattr(gen, 'features', [])):
                    gen.post()


def build(bld):
    lists = _file_lists(bld.path.abspath())
    bld.add_pre_fun(_post_ns3_headers)
    module = bld.create_ns3_module('apartment-voip', DEPENDENCIES)
    module.source = lists['sources']
    module.cxxflags = WARNINGS
    version = ['APARTMENT_VOIP_NS3_VERSION=%d' % _ns3_version(bld),
               'APARTMENT_VOIP_HAVE_CRYPTO=%d' % int(bool(bld.env['APARTMENT_VOIP_HAVE_CRYPTO']))]
    if bld.env['APARTMENT_VOIP_HAVE_CRYPTO']:
        module.use.append('CRYPTO')
    module.defines = version
    module.export_defines = version

    # ns-3 TestSuite for test.py (the GoogleTest cases build with CMake only).
    module_test = bld.create_ns3_module_test_library('apartment-voip')
    module_test.source = ['test/apartment-voip-test-suite.cc']
    module_test.cxxflags = WARNINGS

    headers = bld(features='ns3header')
    headers.module = 'apartment-voip'
    headers.source = lists['headers']

    if bld.env['ENABLE_EXAMPLES']:
        bld.recurse('examples')
        if os.path.exists(os.path.join(bld.path.abspath(), 'experiments', 'wscript')):
            bld.recurse('experiments')
        if os.path.exists(os.path.join(bld.path.abspath(), 'benchmarks', 'wscript')):
            bld.recurse('benchmarks')
