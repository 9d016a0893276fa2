#ifndef INTAKE_CMICROHTTPD_SHIM_H
#define INTAKE_CMICROHTTPD_SHIM_H
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// MHD_start_daemon is variadic and not imported by Swift: options go through MHD_OPTION_ARRAY.
static inline struct MHD_Daemon *intake_mhd_start(unsigned int flags, uint16_t port,
        MHD_AccessHandlerCallback handler, void *handler_cls,
        struct MHD_OptionItem *options) {
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/// MHD_SIZE_UNKNOWN is a macro Swift cannot see.
static inline uint64_t intake_mhd_size_unknown(void) { return MHD_SIZE_UNKNOWN; }

/// MHD_CONTENT_READER_END_OF_STREAM and _WITH_ERROR are macros of type ssize_t.
static inline ssize_t intake_mhd_reader_end(void) { return MHD_CONTENT_READER_END_OF_STREAM; }
static inline ssize_t intake_mhd_reader_error(void) { return MHD_CONTENT_READER_END_WITH_ERROR; }

/// MHD_get_connection_info is variadic.
static inline const union MHD_ConnectionInfo *intake_mhd_connection_info(
        struct MHD_Connection *c, enum MHD_ConnectionInfoType t) {
    return MHD_get_connection_info(c, t);
}
#endif
