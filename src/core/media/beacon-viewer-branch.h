/* beacon-viewer-branch.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _BeaconViewerBranch BeaconViewerBranch;

/* Links a send-only branch from @tee into a new sink pad of @webrtcbin, in @pipeline. The
 * branch is appended to @branches (which frees it with beacon_viewer_branch_free) even when
 * linking fails, so that the caller's cleanup removes what was made. A @payload_type other
 * than the stream's own (>= 0), or another H.264 @profile_level_id, is rewritten on this
 * branch only. */
gboolean  beacon_viewer_branch_attach      (GstBin              *pipeline,
                                            GstElement          *tee,
                                            GstElement          *webrtcbin,
                                            GPtrArray           *branches,
                                            int                  payload_type,
                                            const char          *profile_level_id,
                                            GError             **error);
/* Whether @element is the branch's queue or payload type rewrite. */
gboolean  beacon_viewer_branch_has_element (BeaconViewerBranch  *branch,
                                            GstObject           *element);
/* Takes the branch off its tee; the tee goes on streaming to the others. */
void      beacon_viewer_branch_unlink      (BeaconViewerBranch  *branch);
/* Stops the branch's elements and removes them from @pipeline (after its webrtcbin stopped). */
void      beacon_viewer_branch_remove      (BeaconViewerBranch  *branch,
                                            GstBin              *pipeline);
void      beacon_viewer_branch_free        (gpointer             branch);

G_END_DECLS
