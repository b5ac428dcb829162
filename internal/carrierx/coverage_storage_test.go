package carrierx_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"hash"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core POST /storage/containers"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{Name: carrierx.Set("recordings"), QuotaFiles: carrierx.Set(int64(50))})
		assert.Equal(t, "recordings", ct.Name)
		assert.Equal(t, int64(50), ct.QuotaFiles)
		assert.Equal(t, int64(1073741824), ct.QuotaBytes, "documented default")
		assert.Equal(t, f.creds.PartnerSID, ct.PartnerSID)
		assert.True(t, ct.AllowPublish)
		assert.Equal(t, "no_action", ct.DefaultFileLifecycleAction)
		assert.Equal(t, -1, ct.DefaultFileLifecycleTTL)
		assert.Equal(t, "file_sid", ct.DefaultFilePublish)
		assert.Equal(t, "unassigned", ct.DurabilityClass)
		assert.Equal(t, "internal", ct.Type)
		assert.Equal(t, "https://storage.carrierx.com", ct.PublishDomain)
		assert.Equal(t, 100, ct.AvailableBytesPercent)
		assert.Equal(t, 100, ct.AvailableFilesPercent)
		assert.Zero(t, ct.TotalBytes)
		assert.Zero(t, ct.TotalFiles)
		assert.Empty(t, ct.AllowedClassifications)

		_, err := f.cx.CreateContainer(ctx(), carrierx.ContainerUpdate{})
		assert.Equal(t, 422, statusOf(err), "two containers per partner: the seeded one and this one")
		_, err = storageOther(f).CreateContainer(ctx(), carrierx.ContainerUpdate{AllowedClassifications: carrierx.Set([]string{"music"})})
		assert.Equal(t, 422, statusOf(err), "classifications are archive, document, executable, media or unknown")
	}
	exercised["core GET /storage/containers"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		p, err := f.cx.ListContainers(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotNil(t, p.Total)
		assert.Equal(t, 2, *p.Total, "the seeded container and this one")
		assert.Equal(t, 1000, p.Limit, "the documented default page size")
		assert.Contains(t, p.Items, *ct)

		p, err = f.cx.ListContainers(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		n := 0
		for it, err := range f.cx.AllContainers(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			assert.Equal(t, f.creds.PartnerSID, it.PartnerSID)
			n++
		}
		assert.Equal(t, 2, n)

		op, err := storageOther(f).ListContainers(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, op.Items, 1, "the other partner sees its own seeded container only")
		assert.NotEqual(t, ct.ContainerSID, op.Items[0].ContainerSID)
	}
	exercised["core GET /storage/containers/{container_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{Name: carrierx.Set("one")})
		got, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Equal(t, *ct, *got)
		_, err = storageOther(f).GetContainer(ctx(), ct.ContainerSID)
		assert.Equal(t, 404, statusOf(err), "another partner's container is not found")
		_, err = f.cx.GetContainer(ctx(), "")
		assert.Error(t, err, "an empty SID is refused before a request")
	}
	exercised["core PATCH/PUT /storage/containers/{container_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		got, err := f.cx.UpdateContainer(ctx(), ct.ContainerSID, carrierx.ContainerUpdate{QuotaBytes: carrierx.Set(int64(4000)),
			StringKey1: carrierx.Set("team-a"), BlockedClassifications: carrierx.Set([]string{carrierx.ClassificationExecutable})})
		require.NoError(t, err)
		assert.Equal(t, int64(4000), got.QuotaBytes)
		require.NotNil(t, got.StringKey1)
		assert.Equal(t, "team-a", *got.StringKey1)
		assert.Equal(t, []string{"executable"}, got.BlockedClassifications)
		assert.Equal(t, "N/A", got.Name, "PATCH keeps what it does not name")

		storageUpload(t, f, ct.ContainerSID, "a.bin", storageData(3000, 1))
		got, err = f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Equal(t, 25, got.AvailableBytesPercent, "1000 of 4000 bytes are free")
		_, err = f.cx.UpdateContainer(ctx(), ct.ContainerSID, carrierx.ContainerUpdate{QuotaBytes: carrierx.Set(int64(2999))})
		assert.Equal(t, 422, statusOf(err), "a quota cannot drop below what is stored")

		got.Name = "replaced"
		got.StringKey1 = nil
		got.QuotaBytes = 10000
		got, err = f.cx.ReplaceContainer(ctx(), ct.ContainerSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "replaced", got.Name)
		assert.Nil(t, got.StringKey1)
		assert.Equal(t, int64(10000), got.QuotaBytes)
		assert.Equal(t, 70, got.AvailableBytesPercent)
		again, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = f.cx.UpdateContainer(ctx(), ct.ContainerSID, carrierx.ContainerUpdate{Encrypted: carrierx.Set(true)})
		assert.Equal(t, 422, statusOf(err), "encrypted is set on create only")
		_, err = storageOther(f).UpdateContainer(ctx(), ct.ContainerSID, carrierx.ContainerUpdate{Name: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))
		_, err = storageOther(f).ReplaceContainer(ctx(), ct.ContainerSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /storage/containers/{container_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		file := storageUpload(t, f, ct.ContainerSID, "keep.txt", []byte("kept"))
		assert.Equal(t, 404, statusOf(storageOther(f).DeleteContainer(ctx(), ct.ContainerSID)))
		assert.Equal(t, 409, statusOf(f.cx.DeleteContainer(ctx(), ct.ContainerSID)), "a container with files stays")
		require.NoError(t, f.cx.DeleteStorageFile(ctx(), file.FileSID))
		require.NoError(t, f.cx.DeleteContainer(ctx(), ct.ContainerSID))
		_, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		assert.Equal(t, 404, statusOf(err))
		again, err := f.cx.CreateContainer(ctx(), carrierx.ContainerUpdate{})
		require.NoError(t, err, "the slot is free again")
		require.NoError(t, f.cx.DeleteContainer(ctx(), again.ContainerSID))
	}

	exercised["core POST /storage/files"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		// A few MB of binary data (zero bytes included), generated while the
		// upload reads it: the client streams it, never holding it whole.
		const size = 5<<20 + 123
		src := newStorageStream(size, 7)
		file, err := f.cx.UploadFile(ctx(), carrierx.FileUpload{ContainerSID: ct.ContainerSID,
			StorageFileUpdate: carrierx.StorageFileUpdate{StringKey1: carrierx.Set("coverage")}}, "take.mp3", src)
		require.NoError(t, err)
		assert.Equal(t, int64(size), file.FileBytes)
		assert.Equal(t, "take.mp3", file.Name, "named after the data part")
		assert.Equal(t, "audio/mpeg", file.MimeType)
		assert.Equal(t, carrierx.ClassificationMedia, file.ContentClassification)
		require.NotNil(t, file.ContentFormat)
		assert.Equal(t, "mp3", *file.ContentFormat)
		assert.Equal(t, file.FileSID+".mp3", file.FileAccessName)
		assert.Equal(t, ct.ContainerSID, file.ContainerSID)
		assert.Equal(t, f.creds.PartnerSID, file.PartnerSID)
		assert.Equal(t, "file", file.Type)
		assert.Equal(t, -1, file.LifecycleTTL, "the container's default")
		require.NotNil(t, file.PublishURI)
		assert.Equal(t, "https://storage.carrierx.com/f/"+file.FileSID, *file.PublishURI)
		require.NotNil(t, file.StringKey1)
		assert.Equal(t, "coverage", *file.StringKey1)
		assert.Nil(t, file.DateLastAccessed)
		got := storageDownloadSum(t, f, file.FileSID)
		assert.Equal(t, src.sum(), got, "the bytes come back as sent")

		tiny, err := f.cx.UploadFileOctetStream(ctx(), ct.ContainerSID, "notes.txt", strings.NewReader("hello"))
		require.NoError(t, err)
		assert.Equal(t, "text/plain", tiny.MimeType)
		assert.Equal(t, int64(5), tiny.FileBytes)

		c2, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Equal(t, int64(size+5), c2.TotalBytes)
		assert.Equal(t, int64(2), c2.TotalFiles)

		_, err = f.cx.UpdateContainer(ctx(), ct.ContainerSID, carrierx.ContainerUpdate{QuotaBytes: carrierx.Set(c2.TotalBytes + 100)})
		require.NoError(t, err)
		_, err = f.cx.UploadFile(ctx(), carrierx.FileUpload{ContainerSID: ct.ContainerSID}, "big.bin", bytes.NewReader(storageData(101, 2)))
		assert.Equal(t, 422, statusOf(err), "an upload beyond quota_bytes is refused")
		_, err = f.cx.UploadFile(ctx(), carrierx.FileUpload{ContainerSID: ct.ContainerSID}, "fits.bin", bytes.NewReader(storageData(100, 2)))
		require.NoError(t, err, "what fits is stored")
		p, err := f.cx.ListStorageFiles(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID)})
		require.NoError(t, err)
		assert.Len(t, p.Items, 3, "the refused upload stored nothing")

		_, err = storageOther(f).UploadFile(ctx(), carrierx.FileUpload{ContainerSID: ct.ContainerSID}, "x.txt", strings.NewReader("x"))
		assert.Equal(t, 422, statusOf(err), "another partner's container cannot be used")
		_, err = f.cx.UploadFile(ctx(), carrierx.FileUpload{ContainerSID: ct.ContainerSID,
			StorageFileUpdate: carrierx.StorageFileUpdate{LifecycleTTL: carrierx.Set(0)}}, "x.txt", strings.NewReader("x"))
		assert.Equal(t, 422, statusOf(err), "lifecycle_ttl is -1 or positive")
		_, err = f.cx.UploadFile(ctx(), carrierx.FileUpload{}, "x.txt", strings.NewReader("x"))
		assert.Error(t, err, "a container is required")
	}
	exercised["core GET /storage/files"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		a := storageUpload(t, f, ct.ContainerSID, "a.txt", []byte("aaaa"))
		b := storageUpload(t, f, ct.ContainerSID, "b.txt", []byte("bb"))
		p, err := f.cx.ListStorageFiles(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID),
			Order: "file_bytes asc"})
		require.NoError(t, err)
		require.Len(t, p.Items, 2)
		assert.Equal(t, *b, p.Items[0])
		assert.Equal(t, *a, p.Items[1])
		require.NotNil(t, p.Total)
		assert.Equal(t, 2, *p.Total)

		var names []string
		for it, err := range f.cx.AllStorageFiles(ctx(), carrierx.ListOptions{Limit: 1, Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID)}) {
			require.NoError(t, err)
			names = append(names, it.Name)
		}
		slices.Sort(names)
		assert.Equal(t, []string{"a.txt", "b.txt"}, names)

		op, err := storageOther(f).ListStorageFiles(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, ct.ContainerSID, it.ContainerSID, "another partner does not see the files")
		}
	}
	exercised["core GET /storage/files/{file_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		file := storageUpload(t, f, ct.ContainerSID, "one.json", []byte(`{"a":1}`))
		got, err := f.cx.GetStorageFile(ctx(), file.FileSID)
		require.NoError(t, err)
		assert.Equal(t, *file, *got)
		assert.Equal(t, "application/json", got.MimeType)
		assert.Equal(t, carrierx.ClassificationDocument, got.ContentClassification)
		_, err = storageOther(f).GetStorageFile(ctx(), file.FileSID)
		assert.Equal(t, 404, statusOf(err), "another partner's file is not found")
	}
	exercised["core GET /storage/files/{file_sid}/data"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		data := storageData(3<<20, 11)
		file := storageUpload(t, f, ct.ContainerSID, "clip.wav", data)
		d, err := f.cx.DownloadFile(ctx(), file.FileSID)
		require.NoError(t, err)
		got, err := io.ReadAll(d)
		require.NoError(t, err)
		require.NoError(t, d.Close())
		assert.True(t, bytes.Equal(data, got), "byte-for-byte round trip")
		assert.Equal(t, "audio/wav", d.ContentType)
		assert.Equal(t, int64(len(data)), d.Size)

		again, err := f.cx.GetStorageFile(ctx(), file.FileSID)
		require.NoError(t, err)
		assert.NotNil(t, again.DateLastAccessed, "a download is an access")

		// A partial read, then Close: the rest is not needed.
		d, err = f.cx.DownloadFile(ctx(), file.FileSID)
		require.NoError(t, err)
		head := make([]byte, 10)
		_, err = io.ReadFull(d, head)
		require.NoError(t, err)
		require.NoError(t, d.Close())
		assert.Equal(t, data[:10], head)

		_, err = storageOther(f).DownloadFile(ctx(), file.FileSID)
		assert.Equal(t, 404, statusOf(err), "another partner's file cannot be read")
		_, err = f.cx.DownloadFile(ctx(), "00000000-0000-4000-8000-000000000000")
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /storage/files/{file_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		file := storageUpload(t, f, ct.ContainerSID, "a.txt", []byte("plain"))
		other := storageUpload(t, f, ct.ContainerSID, "b.txt", []byte("other"))
		got, err := f.cx.UpdateStorageFile(ctx(), file.FileSID, carrierx.StorageFileUpdate{Name: carrierx.Set("renamed.csv"),
			MimeType: carrierx.Set("text/csv"), LifecycleTTL: carrierx.Set(-1), ThresholdInclude: carrierx.Set(false)})
		require.NoError(t, err)
		assert.Equal(t, "renamed.csv", got.Name)
		assert.Equal(t, "text/csv", got.MimeType)
		assert.False(t, got.ThresholdInclude)
		assert.Equal(t, file.FileAccessName, got.FileAccessName, "PATCH keeps what it does not name")
		d, err := f.cx.DownloadFile(ctx(), file.FileSID)
		require.NoError(t, err)
		b, err := io.ReadAll(d)
		require.NoError(t, err)
		require.NoError(t, d.Close())
		assert.Equal(t, "plain", string(b), "metadata changes leave the bytes alone")
		assert.Equal(t, "text/csv", d.ContentType, "the download follows mime_type")
		c2, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), c2.ThresholdTotalFiles, "one file is left out of thresholds")

		got, err = f.cx.GetStorageFile(ctx(), file.FileSID) // read-modify-write
		require.NoError(t, err)
		got.FileAccessName = "reports/renamed.csv"
		got.StringKey2 = nil
		got, err = f.cx.ReplaceStorageFile(ctx(), file.FileSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "reports/renamed.csv", got.FileAccessName)
		assert.Equal(t, "renamed.csv", got.Name)
		again, err := f.cx.GetStorageFile(ctx(), file.FileSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = f.cx.UpdateStorageFile(ctx(), file.FileSID, carrierx.StorageFileUpdate{FileAccessName: carrierx.Set(other.FileAccessName)})
		assert.Equal(t, 422, statusOf(err), "file_access_name is unique in the container")
		_, err = f.cx.UpdateStorageFile(ctx(), file.FileSID, carrierx.StorageFileUpdate{DesiredBitrate: carrierx.Set(100)})
		assert.Equal(t, 422, statusOf(err), "desired_bitrate takes the documented values")
		_, err = storageOther(f).UpdateStorageFile(ctx(), file.FileSID, carrierx.StorageFileUpdate{Name: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))
		_, err = storageOther(f).ReplaceStorageFile(ctx(), file.FileSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /storage/files/{file_sid}"] = func(t *testing.T, f *fixture) {
		ct := storageContainer(t, f, carrierx.ContainerUpdate{})
		file := storageUpload(t, f, ct.ContainerSID, "gone.bin", storageData(2048, 3))
		assert.Equal(t, 404, statusOf(storageOther(f).DeleteStorageFile(ctx(), file.FileSID)))
		require.NoError(t, f.cx.DeleteStorageFile(ctx(), file.FileSID))
		_, err := f.cx.GetStorageFile(ctx(), file.FileSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.DownloadFile(ctx(), file.FileSID)
		assert.Equal(t, 404, statusOf(err), "the bytes are gone too")
		assert.Equal(t, 404, statusOf(f.cx.DeleteStorageFile(ctx(), file.FileSID)))
		c2, err := f.cx.GetContainer(ctx(), ct.ContainerSID)
		require.NoError(t, err)
		assert.Zero(t, c2.TotalBytes, "the quota is freed")
		assert.Zero(t, c2.TotalFiles)
	}

	exercised["core POST /batch/tasks"] = func(t *testing.T, f *fixture) {
		state := available(t, f).State
		task := carrierx.RentDIDsTask(carrierx.RentDIDRequest{}, carrierx.RentDIDRequest{Name: carrierx.Set("batch")})
		task.Review = carrierx.Set(false)
		task.RentFilter = carrierx.Filter{}.Eq("state", state)
		got, err := f.cx.CreateTask(ctx(), task)
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskStatusCompleted, got.Status, "a task without review runs at once")
		assert.Equal(t, carrierx.TaskMethodPost, got.Method)
		assert.Equal(t, carrierx.TaskTypePhonenumber, got.Type)
		assert.False(t, got.Review)
		assert.Equal(t, f.creds.PartnerSID, got.PartnerSID)
		requireCounts(t, got, 2, 2, 0)
		assert.Empty(t, got.ErrorDetails)

		review, err := f.cx.TaskReviewItems(ctx(), got.TaskSID)
		require.NoError(t, err)
		require.Len(t, review.ReviewItems, 2)
		for i, it := range review.ReviewItems {
			d := storageRented(t, f, it.Text("phonenumber"))
			require.NotNil(t, d, "item %d's number is rented", i)
			assert.Equal(t, state, d.State, "the filter holds")
			if i == 1 {
				assert.Equal(t, "batch", d.Name)
			}
		}

		pending, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskStatusPendingReview, pending.Status, "review is the default")
		assert.True(t, pending.Review)
		requireCounts(t, pending, 1, 0, 0)
		require.NoError(t, f.cx.DeleteTask(ctx(), pending.TaskSID))

		_, err = f.cx.CreateTask(ctx(), carrierx.TaskCreate{Method: carrierx.TaskMethodPatch, Type: carrierx.TaskTypePhonenumber,
			Entries: []string{"15550000000"}, Data: carrierx.DIDUpdate{Name: carrierx.Set("x")}})
		assert.Equal(t, 422, statusOf(err), "a PATCH task needs field")
		_, err = f.cx.CreateTask(ctx(), carrierx.UpdateDIDsTask("phonenumber", []string{"15550000000"}, carrierx.DIDUpdate{}))
		assert.Equal(t, 422, statusOf(err), "a PATCH task needs something to change")
		bad := carrierx.RentDIDsTask(carrierx.RentDIDRequest{})
		bad.RentFilter = carrierx.Filter{}.Eq("bad field!", 1)
		_, err = f.cx.CreateTask(ctx(), bad)
		assert.Error(t, err, "an invalid filter is refused before a request")
	}
	exercised["core GET /batch/tasks"] = func(t *testing.T, f *fixture) {
		task, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		t.Cleanup(func() { _ = f.cx.DeleteTask(ctx(), task.TaskSID) })
		p, err := f.cx.ListTasks(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("task_sid", task.TaskSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *task, p.Items[0])
		assert.Equal(t, 10, p.Limit, "the documented sample's page size")

		p, err = f.cx.ListTasks(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("status", carrierx.TaskStatusPendingReview)})
		require.NoError(t, err)
		assert.Contains(t, p.Items, *task)
		for _, it := range p.Items {
			assert.Equal(t, carrierx.TaskStatusPendingReview, it.Status)
		}
		found := false
		for it, err := range f.cx.AllTasks(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.TaskSID == task.TaskSID
		}
		assert.True(t, found)
		op, err := storageOther(f).ListTasks(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, task.TaskSID, it.TaskSID, "another partner does not see the task")
		}
	}
	exercised["core GET /batch/tasks/{task_sid}"] = func(t *testing.T, f *fixture) {
		task, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		t.Cleanup(func() { _ = f.cx.DeleteTask(ctx(), task.TaskSID) })
		got, err := f.cx.GetTask(ctx(), task.TaskSID)
		require.NoError(t, err)
		assert.Equal(t, *task, *got)
		assert.JSONEq(t, `[{}]`, string(got.Data))
		_, err = storageOther(f).GetTask(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err), "another partner's task is not found")
		_, err = f.cx.GetTask(ctx(), "")
		assert.Error(t, err)
	}
	exercised["core PATCH/PUT /batch/tasks/{task_sid}"] = func(t *testing.T, f *fixture) {
		task, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}, carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		review, err := f.cx.TaskReviewItems(ctx(), task.TaskSID)
		require.NoError(t, err)
		require.Len(t, review.ReviewItems, 2)
		for _, it := range review.ReviewItems {
			assert.Nil(t, storageRented(t, f, it.Text("phonenumber")), "nothing is rented before approval")
		}
		_, err = storageOther(f).ApproveTask(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err))

		done, err := f.cx.ApproveTask(ctx(), task.TaskSID)
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskStatusCompleted, done.Status)
		requireCounts(t, done, 2, 2, 0)
		for _, it := range review.ReviewItems {
			assert.NotNil(t, storageRented(t, f, it.Text("phonenumber")), "the reviewed numbers are rented")
		}
		_, err = f.cx.ApproveTask(ctx(), task.TaskSID)
		assert.Equal(t, 422, statusOf(err), "a finished task is not run twice")

		cancel, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		cancelled, err := f.cx.CancelTask(ctx(), cancel.TaskSID)
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskStatusCancelled, cancelled.Status)
		requireCounts(t, cancelled, 1, 0, 0)
		_, err = f.cx.ApproveTask(ctx(), cancel.TaskSID)
		assert.Equal(t, 422, statusOf(err), "a cancelled task stays cancelled")

		put, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		put.Status = carrierx.TaskStatusApproved
		got, err := f.cx.ReplaceTask(ctx(), put.TaskSID, *put)
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskStatusCompleted, got.Status, "a PUT can approve too")
		requireCounts(t, got, 1, 1, 0)
		got.Review = false
		_, err = f.cx.ReplaceTask(ctx(), put.TaskSID, *got)
		assert.Equal(t, 422, statusOf(err), "only the status changes after creation")
	}
	exercised["core DELETE /batch/tasks/{task_sid}"] = func(t *testing.T, f *fixture) {
		task, err := f.cx.CreateTask(ctx(), carrierx.RentDIDsTask(carrierx.RentDIDRequest{}))
		require.NoError(t, err)
		review, err := f.cx.TaskReviewItems(ctx(), task.TaskSID)
		require.NoError(t, err)
		num := review.ReviewItems[0].Text("phonenumber")
		assert.Equal(t, 404, statusOf(storageOther(f).DeleteTask(ctx(), task.TaskSID)))
		require.NoError(t, f.cx.DeleteTask(ctx(), task.TaskSID))
		_, err = f.cx.GetTask(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.TaskReviewItems(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Nil(t, storageRented(t, f, num), "a deleted task never runs")
		p, err := f.cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", num)})
		require.NoError(t, err)
		assert.Len(t, p.Items, 1, "the reviewed number is still available")
		assert.Equal(t, 404, statusOf(f.cx.DeleteTask(ctx(), task.TaskSID)))
	}
	exercised["core GET /batch/tasks/{task_sid}/review_items"] = func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		mine := rent(t, f)
		task, err := f.cx.CreateTask(ctx(), carrierx.UpdateDIDsTask("phonenumber", []string{mine.Phonenumber, "19990000000"},
			carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)}))
		require.NoError(t, err)
		review, err := f.cx.TaskReviewItems(ctx(), task.TaskSID)
		require.NoError(t, err)
		assert.Equal(t, carrierx.TaskMethodPatch, review.Method)
		assert.Equal(t, carrierx.TaskTypePhonenumber, review.Type)
		require.Len(t, review.ReviewItems, 2)
		ok, bad := review.ReviewItems[0], review.ReviewItems[1]
		assert.Empty(t, ok.Failure())
		assert.Equal(t, mine.Phonenumber, ok.Text("phonenumber"))
		assert.Equal(t, mine.DIDSID, ok.Text("did_sid"))
		assert.Equal(t, g.TrunkGroupSID, ok.Text("trunk_group_sid"), "the review shows the new value")
		assert.Contains(t, ok.Description, "update "+mine.Phonenumber)
		assert.NotEmpty(t, ok.SID)
		assert.Equal(t, 1, ok.Version)
		assert.NotEmpty(t, bad.Failure(), "an unknown number is an error for that item")
		d, err := f.cx.GetDID(ctx(), mine.DIDSID)
		require.NoError(t, err)
		assert.Nil(t, d.TrunkGroupSID, "nothing changes before approval")

		done, err := f.cx.ApproveTask(ctx(), task.TaskSID)
		require.NoError(t, err)
		requireCounts(t, done, 2, 1, 1)
		require.Len(t, done.ErrorDetails, 1)
		assert.JSONEq(t, `{"phonenumber":"19990000000"}`, done.ErrorDetails[0].Key)
		assert.Equal(t, "no item error", done.ErrorDetails[0].Error.Message)
		d, err = f.cx.GetDID(ctx(), mine.DIDSID)
		require.NoError(t, err)
		require.NotNil(t, d.TrunkGroupSID)
		assert.Equal(t, g.TrunkGroupSID, *d.TrunkGroupSID, "the item that could be done is done")

		_, err = storageOther(f).TaskReviewItems(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core GET /batch/tasks/{task_sid}/review_items.csv"] = func(t *testing.T, f *fixture) {
		a, b := rent(t, f), rent(t, f)
		task, err := f.cx.CreateTask(ctx(), carrierx.ReleaseDIDsTask("did_sid", []string{a.DIDSID, b.DIDSID}))
		require.NoError(t, err)
		rc, err := f.cx.TaskReviewItemsCSV(ctx(), task.TaskSID)
		require.NoError(t, err)
		rows, err := csv.NewReader(rc).ReadAll()
		require.NoError(t, rc.Close())
		require.NoError(t, err)
		review, err := f.cx.TaskReviewItems(ctx(), task.TaskSID)
		require.NoError(t, err)
		require.Len(t, rows, 3, "a header and one row per item")
		assert.Equal(t, []string{"sid", "version", "description"}, rows[0][:3])
		col := slices.Index(rows[0], "phonenumber")
		require.GreaterOrEqual(t, col, 0)
		for i, it := range review.ReviewItems {
			assert.Equal(t, it.SID, rows[i+1][0])
			assert.Equal(t, it.Description, rows[i+1][2])
			assert.Equal(t, it.Text("phonenumber"), rows[i+1][col])
		}
		assert.Equal(t, a.Phonenumber, rows[1][col])
		assert.Contains(t, rows[1][2], "release")

		done, err := f.cx.ApproveTask(ctx(), task.TaskSID)
		require.NoError(t, err)
		requireCounts(t, done, 2, 2, 0)
		_, err = f.cx.GetDID(ctx(), a.DIDSID)
		assert.Equal(t, 404, statusOf(err), "released")
		_, err = storageOther(f).TaskReviewItemsCSV(ctx(), task.TaskSID)
		assert.Equal(t, 404, statusOf(err))
	}
}

// storageOther is a client of the second seeded partner (HTTP Basic).
func storageOther(f *fixture) *carrierx.Client {
	o := f.sb.OtherPartner()
	return f.anon.WithBasic(o.Login, o.Password)
}

// storageContainer creates a container (the partner's second) and removes
// it, with its files, when the test ends.
func storageContainer(t *testing.T, f *fixture, u carrierx.ContainerUpdate) *carrierx.Container {
	t.Helper()
	ct, err := f.cx.CreateContainer(ctx(), u)
	require.NoError(t, err)
	t.Cleanup(func() {
		for it, err := range f.cx.AllStorageFiles(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID)}) {
			if err != nil {
				break
			}
			_ = f.cx.DeleteStorageFile(ctx(), it.FileSID)
		}
		_ = f.cx.DeleteContainer(ctx(), ct.ContainerSID)
	})
	return ct
}

func storageUpload(t *testing.T, f *fixture, containerSID, name string, data []byte) *carrierx.StorageFile {
	t.Helper()
	file, err := f.cx.UploadFile(ctx(), carrierx.FileUpload{ContainerSID: containerSID}, name, bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, int64(len(data)), file.FileBytes)
	return file
}

// storageData is n pseudo-random bytes with runs of zero bytes in them.
func storageData(n int, seed uint64) []byte {
	b := make([]byte, n)
	_, _ = io.ReadFull(newStorageStream(int64(n), seed), b)
	return b
}

// storageStream generates pseudo-random bytes (with a run of 64 zero bytes
// every 4 KiB) as they are read, hashing them on the way.
type storageStream struct {
	rng  *rand.Rand
	left int64
	pos  int64
	h    hash.Hash
}

func newStorageStream(n int64, seed uint64) *storageStream {
	return &storageStream{rng: rand.New(rand.NewPCG(seed, 5)), left: n, h: sha256.New()}
}

func (s *storageStream) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	n = min(n, s.left)
	for i := range p[:n] {
		if (s.pos+int64(i))%4096 < 64 {
			p[i] = 0
		} else {
			p[i] = byte(s.rng.Uint32())
		}
	}
	s.h.Write(p[:n])
	s.pos += n
	s.left -= n
	return int(n), nil
}

func (s *storageStream) sum() []byte { return s.h.Sum(nil) }

// storageDownloadSum downloads a file and returns the SHA-256 of its bytes.
func storageDownloadSum(t *testing.T, f *fixture, sid string) []byte {
	t.Helper()
	d, err := f.cx.DownloadFile(ctx(), sid)
	require.NoError(t, err)
	defer d.Close()
	h := sha256.New()
	_, err = io.Copy(h, d)
	require.NoError(t, err)
	return h.Sum(nil)
}

// storageRented returns the caller's rented DID with the number, or nil.
func storageRented(t *testing.T, f *fixture, num string) *carrierx.DID {
	t.Helper()
	require.NotEmpty(t, num)
	p, err := f.cx.ListDIDs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", num)})
	require.NoError(t, err)
	if len(p.Items) == 0 {
		return nil
	}
	return &p.Items[0]
}

// requireCounts checks a task's counters.
func requireCounts(t *testing.T, task *carrierx.Task, total, success, failure int) {
	t.Helper()
	require.NotNil(t, task.Total)
	require.NotNil(t, task.Processed)
	require.NotNil(t, task.Success)
	require.NotNil(t, task.Failure)
	assert.Equal(t, total, *task.Total, "total")
	assert.Equal(t, success, *task.Success, "success")
	assert.Equal(t, failure, *task.Failure, "failure")
	assert.Equal(t, success+failure, *task.Processed, "processed")
}
