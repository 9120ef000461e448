/* EXPORT(name): make a function a WebAssembly export called `name`. */
#ifndef SORI_EXPORT_H
#define SORI_EXPORT_H
#define EXPORT(name) __attribute__((export_name(#name)))
#endif
