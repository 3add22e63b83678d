/* placeholder: implemented by the Janus work */
#include "beacon-janus-signaler.h"

BeaconSignaler *
beacon_janus_signaler_new (const BeaconSignalerOptions *options,
                           GError                     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Janus is not supported yet");
  return NULL;
}
