"""Test-only stand-in for cf_units (not a Debian package), enough for ILAMB
2's ModelResult and Variable to load files: Unit(text) parsed, compared and
converted by udunits2 itself through ctypes, which is what cf_units wraps.
Used by tests/ilamb_test.py only when the real cf_units is not importable.
"""

import ctypes
import ctypes.util

import numpy as np

_lib = ctypes.CDLL(ctypes.util.find_library('udunits2') or 'libudunits2.so.0')
_lib.ut_read_xml.restype = ctypes.c_void_p
_lib.ut_read_xml.argtypes = [ctypes.c_char_p]
_lib.ut_parse.restype = ctypes.c_void_p
_lib.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
_lib.ut_are_convertible.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
_lib.ut_compare.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
_lib.ut_get_converter.restype = ctypes.c_void_p
_lib.ut_get_converter.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
_lib.cv_convert_doubles.restype = ctypes.c_void_p
_lib.cv_convert_doubles.argtypes = [ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_size_t, ctypes.c_void_p]
_lib.cv_free.argtypes = [ctypes.c_void_p]
_lib.ut_multiply.restype = ctypes.c_void_p
_lib.ut_multiply.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
_lib.ut_format.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                           ctypes.c_uint]
_lib.ut_set_error_message_handler.argtypes = [ctypes.c_void_p]
_lib.ut_set_error_message_handler(
    ctypes.cast(_lib.ut_ignore, ctypes.c_void_p))
_system = _lib.ut_read_xml(None)
UT_UTF8 = 2


class Unit:
    def __init__(self, text, calendar=None, _ptr=None):
        if isinstance(text, Unit):
            text, _ptr = text.text, text.ptr
        self.text = str(text)
        self.calendar = calendar
        self.ptr = _ptr or _lib.ut_parse(_system, self.text.strip().encode(),
                                         UT_UTF8)
        if not self.ptr:
            raise ValueError('[UT_UNKNOWN] Failed to parse unit "%s"'
                             % self.text)

    def is_time_reference(self):
        return ' since ' in self.text

    def is_convertible(self, other):
        return bool(_lib.ut_are_convertible(self.ptr, Unit(other).ptr))

    def convert(self, value, other, ctype=None, inplace=False):
        other = Unit(other)
        cv = _lib.ut_get_converter(self.ptr, other.ptr)
        if not cv:
            raise ValueError('unable to convert from %s to %s'
                             % (self.text, other.text))
        arr = np.ma.array(value, dtype=np.float64, copy=True)
        data = np.ascontiguousarray(np.ma.getdata(arr), dtype=np.float64)
        _lib.cv_convert_doubles(cv, data.ctypes.data, data.size,
                                data.ctypes.data)
        _lib.cv_free(cv)
        out = np.ma.array(data, mask=np.ma.getmask(arr))
        if np.isscalar(value) or np.ndim(value) == 0:
            return float(out)
        if inplace and isinstance(value, np.ndarray):
            value[...] = out
            return value
        return out

    def __mul__(self, other):
        other = Unit(other)
        return Unit('(%s) (%s)' % (self.text, other.text),
                    _ptr=_lib.ut_multiply(self.ptr, other.ptr))

    def format(self):
        buf = ctypes.create_string_buffer(256)
        n = _lib.ut_format(self.ptr, buf, 256, UT_UTF8)
        return buf.value.decode() if n >= 0 else self.text

    def __eq__(self, other):
        return _lib.ut_compare(self.ptr, Unit(other).ptr) == 0

    def __hash__(self):
        return hash(self.format())

    def __str__(self):
        return self.text

    def __repr__(self):
        return 'Unit(%r)' % self.text
