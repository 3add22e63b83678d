/* placeholder: implemented by the WHIP/WHEP work */
#include "beacon-whip-signaler.h"

BeaconSignaler *
beacon_whip_signaler_new (const BeaconSignalerOptions *options,
                          gboolean                     whep,
                          GError                     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "WHIP and WHEP are not supported yet");
  return NULL;
}
