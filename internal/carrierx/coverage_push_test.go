package carrierx_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// Push, TTS and verification: each method through the client against the
// sandbox over HTTP.
func init() {
	exercised["core POST /push/applications"] = func(t *testing.T, f *fixture) {
		creds := base64.StdEncoding.EncodeToString([]byte(`{"type":"service_account"}`))
		a, err := f.cx.CreatePushApplication(ctx(), carrierx.PushApplicationUpdate{Name: carrierx.Set("Field app"),
			GoogleCredentials: carrierx.Set(creds), APNsTeamID: carrierx.Set("")})
		require.NoError(t, err)
		assert.NotEmpty(t, a.ApplicationSID)
		assert.Equal(t, "Field app", a.Name)
		assert.Equal(t, f.creds.PartnerSID, a.PartnerSID)
		assert.Nil(t, a.GoogleCredentials, "key material is never answered")
		assert.Nil(t, a.APNsTeamID, "an empty string is stored as null, as in the docs' sample")
		assert.Nil(t, a.APNsP12Expiration)

		empty, err := f.cx.CreatePushApplication(ctx(), carrierx.PushApplicationUpdate{})
		require.NoError(t, err, "no field is required")
		assert.Equal(t, "N/A", empty.Name, "documented default")

		_, err = f.cx.CreatePushApplication(ctx(), carrierx.PushApplicationUpdate{APNsP12: carrierx.Set("%%% not base64")})
		assert.Equal(t, 422, statusOf(err))
		assert.Equal(t, "apns_p12", pushErrField(err))
	}
	exercised["core GET /push/applications"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		p, err := f.cx.ListPushApplications(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("application_sid", a.ApplicationSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *a, p.Items[0])
		found := false
		for it, err := range f.cx.AllPushApplications(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.ApplicationSID == a.ApplicationSID
		}
		assert.True(t, found)

		op, err := shortOther(f).ListPushApplications(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, a.ApplicationSID, it.ApplicationSID, "another partner does not see the application")
		}
	}
	exercised["core GET /push/applications/{application_sid}"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		got, err := f.cx.GetPushApplication(ctx(), a.ApplicationSID)
		require.NoError(t, err)
		assert.Equal(t, *a, *got)
		_, err = shortOther(f).GetPushApplication(ctx(), a.ApplicationSID)
		assert.Equal(t, 404, statusOf(err), "another partner's application is not found")
	}
	exercised["core PATCH/PUT /push/applications/{application_sid}"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d := pushDevice(t, f, a, "ios")
		got, err := f.cx.UpdatePushApplication(ctx(), a.ApplicationSID, carrierx.PushApplicationUpdate{
			APNsTopic: carrierx.Set("com.example.field"), APNsID: carrierx.Set("ABCDE12345")})
		require.NoError(t, err)
		require.NotNil(t, got.APNsTopic)
		assert.Equal(t, "com.example.field", *got.APNsTopic)
		assert.Equal(t, a.Name, got.Name, "PATCH keeps what it does not name")

		// A read-modify-write PUT: the credentials were never read back,
		// and stay stored (a notification still reaches the device).
		got.Name = "Renamed"
		got.APNsID = nil
		got, err = f.cx.ReplacePushApplication(ctx(), a.ApplicationSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "Renamed", got.Name)
		assert.Nil(t, got.APNsID, "PUT sets what it is given, null included")
		require.NotNil(t, got.APNsTopic)
		again, err := f.cx.GetPushApplication(ctx(), a.ApplicationSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")
		res, err := f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Recipients: []string{d.DeviceSID}, Title: "still here"})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Success)

		_, err = f.cx.UpdatePushApplication(ctx(), a.ApplicationSID, carrierx.PushApplicationUpdate{GoogleCredentials: carrierx.Set("not base64!")})
		assert.Equal(t, 422, statusOf(err))
		_, err = shortOther(f).UpdatePushApplication(ctx(), a.ApplicationSID, carrierx.PushApplicationUpdate{Name: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))
		_, err = shortOther(f).ReplacePushApplication(ctx(), a.ApplicationSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /push/applications/{application_sid}"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d := pushDevice(t, f, a, "android")
		assert.Equal(t, 404, statusOf(shortOther(f).DeletePushApplication(ctx(), a.ApplicationSID)))
		err := f.cx.DeletePushApplication(ctx(), a.ApplicationSID)
		assert.Equal(t, 409, statusOf(err), "an application with devices stays")
		var e *carrierx.Error
		require.True(t, errors.As(err, &e))
		require.NotEmpty(t, e.Errors)
		require.NotNil(t, e.Errors[0].ReferenceSID)
		assert.Equal(t, d.DeviceSID, *e.Errors[0].ReferenceSID, "the conflict names the device")

		require.NoError(t, f.cx.DeletePushDevice(ctx(), d.DeviceSID))
		require.NoError(t, f.cx.DeletePushApplication(ctx(), a.ApplicationSID))
		_, err = f.cx.GetPushApplication(ctx(), a.ApplicationSID)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["core POST /push/devices"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d := pushDevice(t, f, a, "ios")
		assert.Equal(t, a.ApplicationSID, d.ApplicationSID)
		assert.Equal(t, carrierx.PushEnvironmentProduction, d.Environment, "documented default")
		assert.Equal(t, f.creds.PartnerSID, d.PartnerSID)
		assert.Equal(t, "", d.OSVersion)

		same, err := f.cx.RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(a.ApplicationSID),
			Type: carrierx.Set(d.Type), Token: carrierx.Set(d.Token)})
		require.NoError(t, err)
		assert.Equal(t, d.DeviceSID, same.DeviceSID, "reuse (the default) answers the existing device")
		fresh, err := f.cx.CreatePushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(a.ApplicationSID),
			Type: carrierx.Set(d.Type), Token: carrierx.Set(d.Token)})
		require.NoError(t, err)
		assert.NotEqual(t, d.DeviceSID, fresh.DeviceSID, "reuse=false makes a new device")

		_, err = f.cx.RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{Type: carrierx.Set("ios"), Token: carrierx.Set("t")})
		assert.Equal(t, 422, statusOf(err))
		assert.Equal(t, "application_sid", pushErrField(err), "a device belongs to an application")
		_, err = f.cx.RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set("00000000-0000-4000-8000-000000000000"),
			Type: carrierx.Set("ios"), Token: carrierx.Set("t")})
		assert.Equal(t, 422, statusOf(err), "an unknown application")
		_, err = shortOther(f).RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(a.ApplicationSID),
			Type: carrierx.Set("ios"), Token: carrierx.Set("t")})
		assert.Equal(t, 422, statusOf(err), "another partner's application cannot be used")
		_, err = f.cx.RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(a.ApplicationSID),
			Type: carrierx.Set("symbian"), Token: carrierx.Set("t")})
		assert.Equal(t, "type", pushErrField(err))
	}
	exercised["core GET /push/devices"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d1, d2 := pushDevice(t, f, a, "ios"), pushDevice(t, f, a, "web")
		p, err := f.cx.ListPushDevices(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("application_sid", a.ApplicationSID),
			Order: "type desc"})
		require.NoError(t, err)
		require.Len(t, p.Items, 2)
		assert.Equal(t, []carrierx.PushDevice{*d2, *d1}, p.Items)
		n := 0
		for _, err := range f.cx.AllPushDevices(ctx(), carrierx.ListOptions{Limit: 1, Filter: carrierx.Filter{}.Eq("application_sid", a.ApplicationSID)}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 2, n)
		op, err := shortOther(f).ListPushDevices(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("application_sid", a.ApplicationSID)})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the devices")
	}
	exercised["core GET /push/devices/{device_sid}"] = func(t *testing.T, f *fixture) {
		d := pushDevice(t, f, pushApp(t, f), "android")
		got, err := f.cx.GetPushDevice(ctx(), d.DeviceSID)
		require.NoError(t, err)
		assert.Equal(t, *d, *got)
		_, err = shortOther(f).GetPushDevice(ctx(), d.DeviceSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /push/devices/{device_sid}"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d := pushDevice(t, f, a, "ios")
		got, err := f.cx.UpdatePushDevice(ctx(), d.DeviceSID, carrierx.PushDeviceUpdate{OSVersion: carrierx.Set("17.4"),
			Environment: carrierx.Set(carrierx.PushEnvironmentDevelopment)})
		require.NoError(t, err)
		assert.Equal(t, "17.4", got.OSVersion)
		assert.Equal(t, carrierx.PushEnvironmentDevelopment, got.Environment)
		assert.Equal(t, d.Token, got.Token, "PATCH keeps what it does not name")

		b := pushApp(t, f)
		got.ApplicationSID = b.ApplicationSID
		got.ApplicationVersion = "2.0"
		got, err = f.cx.ReplacePushDevice(ctx(), d.DeviceSID, *got)
		require.NoError(t, err)
		assert.Equal(t, b.ApplicationSID, got.ApplicationSID, "a device may move to another of the partner's applications")
		assert.Equal(t, "2.0", got.ApplicationVersion)
		assert.Equal(t, "17.4", got.OSVersion)
		again, err := f.cx.GetPushDevice(ctx(), d.DeviceSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again)

		_, err = f.cx.UpdatePushDevice(ctx(), d.DeviceSID, carrierx.PushDeviceUpdate{Environment: carrierx.Set("staging")})
		assert.Equal(t, 422, statusOf(err))
		theirs, err := shortOther(f).CreatePushApplication(ctx(), carrierx.PushApplicationUpdate{})
		require.NoError(t, err)
		_, err = f.cx.UpdatePushDevice(ctx(), d.DeviceSID, carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(theirs.ApplicationSID)})
		assert.Equal(t, 422, statusOf(err), "not onto another partner's application")
		_, err = shortOther(f).UpdatePushDevice(ctx(), d.DeviceSID, carrierx.PushDeviceUpdate{OSVersion: carrierx.Set("1")})
		assert.Equal(t, 404, statusOf(err))
		_, err = shortOther(f).ReplacePushDevice(ctx(), d.DeviceSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /push/devices/{device_sid}"] = func(t *testing.T, f *fixture) {
		d := pushDevice(t, f, pushApp(t, f), "web")
		assert.Equal(t, 404, statusOf(shortOther(f).DeletePushDevice(ctx(), d.DeviceSID)))
		require.NoError(t, f.cx.DeletePushDevice(ctx(), d.DeviceSID))
		_, err := f.cx.GetPushDevice(ctx(), d.DeviceSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeletePushDevice(ctx(), d.DeviceSID)))
	}
	exercised["core POST /push/notifications"] = func(t *testing.T, f *fixture) {
		a := pushApp(t, f)
		d1, d2 := pushDevice(t, f, a, "ios"), pushDevice(t, f, a, "android")
		ttl, badge := 5, 3
		title := "Shift change " + strconv.FormatInt(pushSeq.Add(1), 10)
		res, err := f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Title: title, Body: "Report to bay 4.",
			TTL: &ttl, Priority: "high", IOSBadge: &badge, Data: map[string]any{"bay": "4"}, Recipients: []string{d1.DeviceSID, d2.DeviceSID}})
		require.NoError(t, err)
		assert.Equal(t, carrierx.PushResult{Success: 2, Results: map[string]string{d1.DeviceSID: "success", d2.DeviceSID: "success"}}, *res)

		recorded := false
		for _, n := range f.sb.SentPushNotifications(f.creds.PartnerSID) {
			if n.Title == title {
				assert.Equal(t, []string{d1.DeviceSID, d2.DeviceSID}, n.Recipients)
				assert.Equal(t, "4", n.Data["bay"])
				recorded = true
			}
		}
		assert.True(t, recorded, "the sandbox recorded the notification")

		// A deleted device fails the notification clearly, naming it.
		require.NoError(t, f.cx.DeletePushDevice(ctx(), d2.DeviceSID))
		_, err = f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Title: "again", Recipients: []string{d1.DeviceSID, d2.DeviceSID}})
		assert.Equal(t, 422, statusOf(err))
		assert.Equal(t, "recipients[1]", pushErrField(err))
		_, err = shortOther(f).SendPushNotification(ctx(), carrierx.PushNotification{Recipients: []string{d1.DeviceSID}})
		assert.Equal(t, 422, statusOf(err), "another partner's device is not a recipient")
		_, err = f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Recipients: []string{d1.DeviceSID}, Priority: "urgent"})
		assert.Equal(t, 422, statusOf(err))
		_, err = f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Title: "nobody"})
		assert.Error(t, err, "no recipients is refused before a request")
		_, err = f.cx.SendPushNotification(ctx(), carrierx.PushNotification{Recipients: make([]string, carrierx.PushMaxRecipients+1)})
		assert.Error(t, err, "over 100 recipients is refused before a request")
	}

	exercised["core GET /tts/voices"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListTTSVoices(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Len(t, p.Items, 10, "the documented default page size")
		require.NotNil(t, p.Total)
		n := 0
		for v, err := range f.cx.AllTTSVoices(ctx(), carrierx.ListOptions{Limit: 25}) {
			require.NoError(t, err)
			assert.NotEmpty(t, v.Languages, v.VoiceSID)
			n++
		}
		assert.Equal(t, *p.Total, n, "paging finds every voice")

		de, err := f.cx.ListTTSVoices(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("language", "de-DE"), Limit: 100})
		require.NoError(t, err)
		require.NotEmpty(t, de.Items)
		for _, v := range de.Items {
			assert.True(t, v.Speaks("de-DE"), v.VoiceSID)
		}
		op, err := shortOther(f).ListTTSVoices(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Equal(t, p.Items, op.Items, "the catalogue is the same for every partner")
		_, err = f.cx.ListTTSVoices(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("accent", "scottish")})
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /tts/voices/{voice_sid}"] = func(t *testing.T, f *fixture) {
		v, err := f.cx.GetTTSVoice(ctx(), "Polly.Joanna")
		require.NoError(t, err)
		assert.Equal(t, carrierx.TTSVoice{VoiceSID: "Polly.Joanna", Languages: map[string]int{"en-US": 0}}, *v, "the docs' sample voice")
		_, err = f.cx.GetTTSVoice(ctx(), "Polly.Nobody")
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.GetTTSVoice(ctx(), "")
		assert.Error(t, err)
	}
	exercised["core POST /tts/texts"] = func(t *testing.T, f *fixture) {
		long := readWAV(t, f, carrierx.TTSText{Text: "Your conference starts in five minutes."})
		short := readWAV(t, f, carrierx.TTSText{Text: "Hallo", VoiceSID: "Polly.Hans"})
		assert.Equal(t, len(long)*len("Hallo"), len(short)*len("Your conference starts in five minutes."),
			"the audio's length follows the text's")

		_, err := f.cx.SynthesizeSpeech(ctx(), carrierx.TTSText{Text: "Hallo", VoiceSID: "Polly.Hans", Language: "ja-JP"})
		assert.Equal(t, 422, statusOf(err), "the voice does not speak the language")
		_, err = f.cx.SynthesizeSpeech(ctx(), carrierx.TTSText{Text: "hi", VoiceSID: "Polly.Nobody"})
		assert.Equal(t, 422, statusOf(err))
		_, err = f.cx.SynthesizeSpeech(ctx(), carrierx.TTSText{})
		assert.Error(t, err, "an empty text is refused before a request")
		// Stored as a file: its bytes are the audio the stream answers.
		var container string
		for ct, err := range f.cx.AllContainers(ctx(), carrierx.ListOptions{}) {
			require.NoError(t, err)
			container = ct.ContainerSID
		}
		require.NotEmpty(t, container)
		file, err := f.cx.SynthesizeSpeechToFile(ctx(), container, carrierx.TTSText{Text: "Hallo", VoiceSID: "Polly.Hans"})
		require.NoError(t, err)
		assert.Equal(t, container, file.ContainerSID)
		assert.EqualValues(t, 44+len(short), file.FileBytes, "a WAV header and the samples")
		require.NotNil(t, file.ContentDuration)
		assert.InDelta(t, 0.3, *file.ContentDuration, 1e-9, "60 ms a character")
		data, err := f.cx.DownloadFile(ctx(), file.FileSID)
		require.NoError(t, err)
		stored, err := io.ReadAll(data)
		require.NoError(t, err)
		require.NoError(t, data.Close())
		require.Greater(t, len(stored), 44)
		assert.True(t, bytes.Equal(short, stored[44:]), "the stored file holds the synthesised samples")

		_, err = f.cx.SynthesizeSpeechToFile(ctx(), "00000000-0000-4000-8000-000000000000", carrierx.TTSText{Text: "hi"})
		assert.Equal(t, 422, statusOf(err), "an unknown container")
		assert.Equal(t, "response_container_sid", pushErrField(err))
	}

	exercised["core POST /verification/sms"] = func(t *testing.T, f *fixture) {
		from := smsSender(t, f)
		v, err := f.cx.SendVerificationSMS(ctx(), carrierx.VerificationSMSRequest{From: from, To: "18057224756"})
		require.NoError(t, err)
		assert.Regexp(t, `^[0-9]{4}$`, v.Code)
		m, err := f.cx.GetMessage(ctx(), v.MessageSID)
		require.NoError(t, err)
		assert.Equal(t, "Your verification code is "+v.Code, m.Message, "the documented default message")
		assert.Equal(t, "outbound", m.Direction)
		assert.Equal(t, "18057224756", m.To)

		v, err = f.cx.SendVerificationSMS(ctx(), carrierx.VerificationSMSRequest{From: from, To: "18057224756",
			Message: "Code:", CodeLength: 6, CodeType: carrierx.VerificationCodeAlphanumericUpper})
		require.NoError(t, err)
		assert.Regexp(t, `^[A-Z0-9]{6}$`, v.Code)
		m, err = f.cx.GetMessage(ctx(), v.MessageSID)
		require.NoError(t, err)
		assert.Equal(t, "Code: "+v.Code, m.Message)

		_, err = f.cx.SendVerificationSMS(ctx(), carrierx.VerificationSMSRequest{From: "15005550006", To: "18057224756"})
		assert.Equal(t, 422, statusOf(err), "from must be a rented number")
		_, err = shortOther(f).SendVerificationSMS(ctx(), carrierx.VerificationSMSRequest{From: from, To: "18057224756"})
		assert.Equal(t, 422, statusOf(err), "not from another partner's number")
		_, err = f.cx.SendVerificationSMS(ctx(), carrierx.VerificationSMSRequest{From: from, To: "18057224756", CodeType: "emoji"})
		assert.Equal(t, "code_type", pushErrField(err))
	}
	exercised["core POST /verification/email"] = func(t *testing.T, f *fixture) {
		to := verifyAddress()
		v, err := f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{ToAddress: to})
		require.NoError(t, err)
		assert.Equal(t, carrierx.VerificationEmail{BaseURL: "https://www.carrierx.com/confirmed",
			EmailTemplateSID: "3e9e8c56-e1ee-4dcf-9e2b-abbd101139ba", Status: "sent_email", ToAddress: to}, *v, "the docs' sample answer")
		mail := sentVerification(t, f, to)
		assert.Contains(t, mail.Text, "https://www.carrierx.com/confirmed?token="+mail.Token)

		me, err := f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{PartnerSID: f.creds.PartnerSID,
			BaseURL: "https://ops.example.com/confirm"})
		require.NoError(t, err)
		require.NotNil(t, me.PartnerSID)
		assert.Contains(t, me.ToAddress, "@", "sent to the partner's owner_email")

		_, err = f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{})
		assert.Equal(t, 422, statusOf(err), "to_address or partner_sid is required")
		_, err = f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{PartnerSID: f.sb.OtherPartner().PartnerSID})
		assert.Equal(t, 422, statusOf(err), "not to another partner")
		_, err = f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{ToAddress: "not an address"})
		assert.Equal(t, "to_address", pushErrField(err))
	}
	exercised["core GET /verification/email/tokens/{token}"] = func(t *testing.T, f *fixture) {
		to := verifyAddress()
		_, err := f.cx.SendVerificationEmail(ctx(), carrierx.VerificationEmailRequest{ToAddress: to})
		require.NoError(t, err)
		token := sentVerification(t, f, to).Token

		_, err = shortOther(f).VerifyEmailToken(ctx(), token)
		assert.Equal(t, 404, statusOf(err), "another partner's token is not found")
		v, err := f.cx.VerifyEmailToken(ctx(), token)
		require.NoError(t, err)
		assert.Equal(t, "verified", v.Status)
		assert.Equal(t, to, v.ToAddress)
		_, err = f.cx.VerifyEmailToken(ctx(), token)
		assert.Equal(t, 404, statusOf(err), "a token verifies once")
		assert.False(t, sentVerification(t, f, to).VerifiedAt.IsZero())
		_, err = f.cx.VerifyEmailToken(ctx(), "c0438d84-2bde-4342-861b-0815eb72c012")
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core GET /verification/email/templates"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListEmailTemplates(ctx(), carrierx.ListOptions{ExcludeFields: []string{"html_body"}})
		require.NoError(t, err)
		assert.Equal(t, 1000, p.Limit, "the docs' sample page size")
		require.NotEmpty(t, p.Items)
		types := map[string]bool{}
		for _, tpl := range p.Items {
			assert.Nil(t, tpl.HTMLBody, "html_body is excluded")
			types[tpl.Type] = true
		}
		assert.True(t, types["email_address_verification"])
		assert.True(t, types["forgot_partner_password"])

		inv, err := f.cx.ListEmailTemplates(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("type", "invoice")})
		require.NoError(t, err)
		require.Len(t, inv.Items, 1)
		op, err := shortOther(f).ListEmailTemplates(ctx(), carrierx.ListOptions{ExcludeFields: []string{"html_body"}})
		require.NoError(t, err)
		assert.Equal(t, p.Items, op.Items, "the templates are the same for every partner")
	}
	exercised["core GET /verification/email/templates/{template_sid}"] = func(t *testing.T, f *fixture) {
		tpl, err := f.cx.GetEmailTemplate(ctx(), "465eb46b-05a7-4251-b89c-e99f2b81509b")
		require.NoError(t, err)
		assert.Equal(t, "forgot_partner_password", tpl.Type)
		assert.Equal(t, "Forgot Partner Password template", tpl.Name)
		require.NotNil(t, tpl.TextBody)
		assert.Contains(t, *tpl.TextBody, "${base_url}?token=${uuid}")
		_, err = f.cx.GetEmailTemplate(ctx(), "00000000-0000-4000-8000-000000000000")
		assert.Equal(t, 404, statusOf(err))
	}
}

var pushSeq atomic.Int64

// pushErrField is the field named by the first entry of a CarrierX error.
func pushErrField(err error) string {
	var e *carrierx.Error
	if errors.As(err, &e) && len(e.Errors) > 0 && e.Errors[0].Field != nil {
		return *e.Errors[0].Field
	}
	return ""
}

// pushApp registers an application with a fresh name and Google credentials.
func pushApp(t *testing.T, f *fixture) *carrierx.PushApplication {
	t.Helper()
	a, err := f.cx.CreatePushApplication(ctx(), carrierx.PushApplicationUpdate{
		Name:              carrierx.Set("app " + strconv.FormatInt(pushSeq.Add(1), 10)),
		GoogleCredentials: carrierx.Set(base64.StdEncoding.EncodeToString([]byte(`{"type":"service_account"}`)))})
	require.NoError(t, err)
	return a
}

// pushDevice registers a device of type typ with a fresh token on a.
func pushDevice(t *testing.T, f *fixture, a *carrierx.PushApplication, typ string) *carrierx.PushDevice {
	t.Helper()
	d, err := f.cx.RegisterPushDevice(ctx(), carrierx.PushDeviceUpdate{ApplicationSID: carrierx.Set(a.ApplicationSID),
		Type: carrierx.Set(typ), Token: carrierx.Set("token-" + strconv.FormatInt(pushSeq.Add(1), 10))})
	require.NoError(t, err)
	require.NotEmpty(t, d.DeviceSID)
	return d
}

// readWAV synthesises t and checks that the answer is a WAV file, returning
// its PCM data.
func readWAV(t *testing.T, f *fixture, text carrierx.TTSText) []byte {
	t.Helper()
	rc, err := f.cx.SynthesizeSpeech(ctx(), text)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(b), 44)
	require.Equal(t, "RIFF", string(b[:4]))
	require.Equal(t, "WAVEfmt ", string(b[8:16]))
	require.Equal(t, "data", string(b[36:40]))
	require.Equal(t, len(b)-44, int(binary.LittleEndian.Uint32(b[40:])), "the data chunk fills the file")
	require.False(t, bytes.Equal(b[44:], make([]byte, len(b)-44)), "the audio is not silent")
	return b[44:]
}

// smsSender rents a number that can send SMS.
func smsSender(t *testing.T, f *fixture) string {
	t.Helper()
	p, err := f.cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 1, Order: "shuffle",
		Filter: carrierx.Filter{}.Bit("capabilities", int(carrierx.CapSendSMS))})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	d, err := f.cx.RentDID(ctx(), carrierx.RentDIDRequest{Phonenumber: p.Items[0].Phonenumber})
	require.NoError(t, err)
	return d.Phonenumber
}

func verifyAddress() string {
	return "user" + strconv.FormatInt(pushSeq.Add(1), 10) + "@example.com"
}

// sentVerification is the verification email the sandbox sent to to (the
// token travels in the email only).
func sentVerification(t *testing.T, f *fixture, to string) sandbox.VerificationEmail {
	t.Helper()
	for _, m := range f.sb.SentVerificationEmails(f.creds.PartnerSID) {
		if strings.EqualFold(m.To, to) {
			return m
		}
	}
	t.Fatalf("no verification email to %s", to)
	return sandbox.VerificationEmail{}
}
