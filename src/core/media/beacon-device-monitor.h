/* beacon-device-monitor.h — placeholder, implemented by the GUI work */
#pragma once
