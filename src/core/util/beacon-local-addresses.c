/* beacon-local-addresses.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-local-addresses.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

void
beacon_local_address_free (BeaconLocalAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->address);
  g_free (address->interface);
  g_free (address);
}

/* Lower ranks are listed first. */
static int
address_rank (const BeaconLocalAddress *address)
{
  if (address->loopback)
    return 2;
  return strchr (address->address, ':') != NULL ? 1 : 0;
}

static int
compare_addresses (gconstpointer a,
                   gconstpointer b)
{
  return address_rank (*(BeaconLocalAddress **) a) - address_rank (*(BeaconLocalAddress **) b);
}

static BeaconLocalAddress *
address_of_entry (const struct ifaddrs *entry)
{
  char text[INET6_ADDRSTRLEN];
  gboolean loopback;
  BeaconLocalAddress *address;

  if (entry->ifa_addr == NULL || (entry->ifa_flags & IFF_UP) == 0)
    return NULL;
  if (entry->ifa_addr->sa_family == AF_INET)
    {
      const struct sockaddr_in *in = (const struct sockaddr_in *) entry->ifa_addr;

      if (inet_ntop (AF_INET, &in->sin_addr, text, sizeof text) == NULL)
        return NULL;
      loopback = (ntohl (in->sin_addr.s_addr) >> 24) == 127;
    }
  else if (entry->ifa_addr->sa_family == AF_INET6)
    {
      const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) entry->ifa_addr;

      if (IN6_IS_ADDR_LINKLOCAL (&in6->sin6_addr) ||
          inet_ntop (AF_INET6, &in6->sin6_addr, text, sizeof text) == NULL)
        return NULL;
      loopback = IN6_IS_ADDR_LOOPBACK (&in6->sin6_addr);
    }
  else
    {
      return NULL;
    }

  address = g_new0 (BeaconLocalAddress, 1);
  address->address = g_strdup (text);
  address->interface = g_strdup (entry->ifa_name ? entry->ifa_name : "");
  address->loopback = loopback;
  return address;
}

GPtrArray *
beacon_local_addresses_list (void)
{
  GPtrArray *addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_local_address_free);
  struct ifaddrs *entries = NULL;

  if (getifaddrs (&entries) != 0)
    return addresses;
  for (struct ifaddrs *entry = entries; entry != NULL; entry = entry->ifa_next)
    {
      BeaconLocalAddress *address = address_of_entry (entry);

      if (address != NULL)
        g_ptr_array_add (addresses, address);
    }
  freeifaddrs (entries);
  /* Stable: within a rank, the system's order. */
  g_ptr_array_sort (addresses, compare_addresses);
  return addresses;
}
