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
/// Starts a daemon on a listening socket the caller created, with every limit the server uses.
/// Explicit arguments instead of MHD_OPTION_ARRAY keep the option types checked by the compiler.
static inline struct MHD_Daemon *intake_mhd_start_listening(unsigned int flags, int listen_fd,
        MHD_AccessHandlerCallback handler, void *handler_cls,
        MHD_RequestCompletedCallback completed, void *completed_cls,
        unsigned int thread_pool_size, unsigned int connection_limit,
        unsigned int connection_timeout, size_t connection_memory_limit,
        unsigned int per_ip_connection_limit) {
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                            MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_connection_limit,
                            MHD_OPTION_END);
}

/// MHD_get_daemon_info is variadic: the port the daemon is bound to, or 0.
static inline uint16_t intake_mhd_bound_port(struct MHD_Daemon *d) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// The client's address of a connection, or NULL.
static inline const struct sockaddr *intake_mhd_client_address(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}
#endif
