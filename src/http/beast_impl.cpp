// Separate compilation of Asio and Beast: their implementations are compiled once here
// instead of in every file that includes them (BOOST_*_SEPARATE_COMPILATION).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
