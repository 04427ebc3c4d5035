#!/usr/bin/env python3
"""Runs a SIPVicious tool with its sockets bound to one loopback address: `bound.py 127.0.0.9 svwar ARGS...`.

svwar and svcrack of SIPVicious 0.3.3 (Debian's package) accept -b/--bindingip but never pass it on, so every
scan would come from 127.0.0.1 and all attacks in a test would share one source. This binds what they bind to
any address to the given one instead; the tools themselves run unchanged.
"""
import os
import runpy
import shutil
import socket
import sys

ip, tool, args = sys.argv[1], sys.argv[2], sys.argv[3:]
_bind = socket.socket.bind


def bind(self, address):
    if isinstance(address, tuple) and address[0] in ('', '0.0.0.0'):
        address = (ip,) + tuple(address[1:])
    return _bind(self, address)


socket.socket.bind = bind
script = os.path.realpath(shutil.which(tool))
# As when the tool runs by itself: its own folder first on the path (the package and its metadata are there).
sys.path.insert(0, os.path.dirname(script))
sys.argv = [tool] + args
runpy.run_path(script, run_name='__main__')
