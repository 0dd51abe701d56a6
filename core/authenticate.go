package core

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/hearth-server/hearth/gen/db"
)

// Input rules Nakama 3.40 enforces on the authenticate calls. Identifiers may contain no
// whitespace or control characters at all; usernames may contain spaces but no other
// whitespace or control characters.
var (
	invalidIdentifierChars = regexp.MustCompile(`[[:cntrl:][:space:]]`)
	invalidUsernameChars   = regexp.MustCompile("[[:cntrl:]\t\n\r\f\v]")
	emailShape             = regexp.MustCompile(`^.+@.+\..+$`)
)

// bcryptMaxPassword is bcrypt's input limit; longer passwords would be silently
// truncated by some implementations and are rejected by Go's.
const bcryptMaxPassword = 72

// AuthInput is what every authenticate call shares: the optional username to create the
// account with, whether creating is allowed, and vars to bundle into the session.
type AuthInput struct {
	Username string
	Create   bool
	Vars     map[string]string
	// ClientIP is the caller's address, for the per-IP password lockout.
	ClientIP string
}

// authenticated is who an authenticate call found or created.
type authenticated struct {
	userID   uuid.UUID
	username string
	created  bool
}

// checkUsername validates a requested username, or generates one when none was given.
func checkUsername(username string) (string, error) {
	switch {
	case username == "":
		return generateUsername(), nil
	case invalidUsernameChars.MatchString(username):
		return "", Errorf(CodeInvalidArgument, "Username invalid, no spaces or control characters allowed.")
	case len(username) > 128:
		return "", Errorf(CodeInvalidArgument, "Username invalid, must be 1-128 bytes.")
	}
	return username, nil
}

// checkIdentifier applies the shared id rules: required, no whitespace or control
// characters, and a byte-length range. what names the id in Nakama's messages.
func checkIdentifier(id, what string, min, max int, rangeText string) error {
	switch {
	case id == "":
		return Errorf(CodeInvalidArgument, what+" is required.")
	case invalidIdentifierChars.MatchString(id):
		return Errorf(CodeInvalidArgument, what+" invalid, no spaces or control characters allowed.")
	case len(id) < min || len(id) > max:
		return Errorf(CodeInvalidArgument, what+" invalid, must be "+rangeText+" bytes.")
	}
	return nil
}

// AuthenticateDevice logs in with a device id, creating the account when allowed.
func (c *Core) AuthenticateDevice(ctx context.Context, deviceID string, in AuthInput) (Session, error) {
	if err := checkIdentifier(deviceID, "Device ID", 10, 128, "10-128"); err != nil {
		return Session{}, err
	}
	return c.authenticateID(ctx, in, "user_device_pkey",
		func() (authenticated, error) {
			row, err := c.q.UserByDevice(ctx, deviceID)
			return active(row.ID, row.Username, row.DisableTime, err)
		},
		func(id uuid.UUID, username string) error {
			return c.q.UserCreateWithDevice(ctx, db.UserCreateWithDeviceParams{ID: id, Username: username, DeviceID: deviceID})
		})
}

// AuthenticateCustom logs in with an id from an external identity system.
func (c *Core) AuthenticateCustom(ctx context.Context, customID string, in AuthInput) (Session, error) {
	if err := checkIdentifier(customID, "Custom ID", 6, 128, "6-128"); err != nil {
		return Session{}, err
	}
	return c.authenticateID(ctx, in, "users_custom_id_key",
		func() (authenticated, error) {
			row, err := c.q.UserByCustomID(ctx, customID)
			return active(row.ID, row.Username, row.DisableTime, err)
		},
		func(id uuid.UUID, username string) error {
			return c.q.UserCreateWithCustomID(ctx, db.UserCreateWithCustomIDParams{ID: id, Username: username, CustomID: customID})
		})
}

// authenticateID is the flow of the identifier-only logins: check the username, find or
// create the account, start a session.
func (c *Core) authenticateID(ctx context.Context, in AuthInput, identifierKey string, find func() (authenticated, error), insert func(id uuid.UUID, username string) error) (Session, error) {
	username, err := checkUsername(in.Username)
	if err != nil {
		return Session{}, err
	}
	who, err := c.findOrCreate(ctx, in.Create, find, func(id uuid.UUID) error { return insert(id, username) }, username, identifierKey)
	if err != nil {
		return Session{}, err
	}
	return c.startSession(ctx, who, in.Vars)
}

// active turns a lookup's row into the account it found, refusing a banned one.
func active(id uuid.UUID, username string, disableTime *time.Time, err error) (authenticated, error) {
	if err != nil {
		return authenticated{}, err
	}
	if banned(disableTime) {
		return authenticated{}, ErrAccountBanned
	}
	return authenticated{userID: id, username: username}, nil
}

// AuthenticateEmail logs in with an email address and password, creating the account
// when allowed. With no email but a username, it logs in by username and password (and
// never creates), as Nakama does.
func (c *Core) AuthenticateEmail(ctx context.Context, email, password string, in AuthInput) (Session, error) {
	account := "email:" + strings.ToLower(email)
	if email == "" {
		account = "username:" + in.Username
	}
	if c.logins.locked(account, in.ClientIP) {
		return Session{}, ErrLockedOut
	}
	s, err := c.authenticateEmail(ctx, email, password, in)
	switch {
	case err == nil:
		c.logins.succeeded(account, "")
	case errors.Is(err, ErrInvalidCredential):
		c.logins.failed(account, in.ClientIP)
	case errors.Is(err, ErrAccountNotFound):
		c.logins.failed("", in.ClientIP) // probing for accounts counts against the IP
	}
	return s, err
}

func (c *Core) authenticateEmail(ctx context.Context, email, password string, in AuthInput) (Session, error) {
	byUsername := email == ""
	if !byUsername {
		switch {
		case invalidIdentifierChars.MatchString(email):
			return Session{}, Errorf(CodeInvalidArgument, "Invalid email address, no spaces or control characters allowed.")
		case !emailShape.MatchString(email):
			return Session{}, Errorf(CodeInvalidArgument, "Invalid email address format.")
		case len(email) < 10 || len(email) > 255:
			return Session{}, Errorf(CodeInvalidArgument, "Invalid email address, must be 10-255 bytes.")
		}
	}
	if len(password) < 8 {
		return Session{}, Errorf(CodeInvalidArgument, "Password must be at least 8 characters long.")
	}
	if len(password) > bcryptMaxPassword {
		return Session{}, Errorf(CodeInvalidArgument, "Password must be at most 72 bytes long.")
	}
	if byUsername && in.Username == "" {
		return Session{}, Errorf(CodeInvalidArgument, "Username is required when email address is not supplied.")
	}
	username, err := checkUsername(in.Username)
	if err != nil {
		return Session{}, err
	}

	if byUsername {
		row, err := c.q.UserByUsername(ctx, username)
		if isNotFound(err) {
			return Session{}, ErrAccountNotFound
		}
		if err != nil {
			return Session{}, Internal("Error finding user account.", err)
		}
		if banned(row.DisableTime) {
			return Session{}, ErrAccountBanned
		}
		// No password set and a wrong password look the same to the client on purpose.
		if len(row.Password) == 0 || bcrypt.CompareHashAndPassword(row.Password, []byte(password)) != nil {
			return Session{}, ErrInvalidCredential
		}
		return c.startSession(ctx, authenticated{userID: row.ID, username: row.Username}, in.Vars)
	}

	email = strings.ToLower(email)
	who, err := c.findOrCreate(ctx, in.Create,
		func() (authenticated, error) {
			row, err := c.q.UserByEmail(ctx, email)
			if err != nil {
				return authenticated{}, err
			}
			if banned(row.DisableTime) {
				return authenticated{}, ErrAccountBanned
			}
			if len(row.Password) == 0 || bcrypt.CompareHashAndPassword(row.Password, []byte(password)) != nil {
				return authenticated{}, ErrInvalidCredential
			}
			return authenticated{userID: row.ID, username: row.Username}, nil
		},
		func(id uuid.UUID) error {
			hash, err := bcrypt.GenerateFromPassword([]byte(password), c.bcryptCost)
			if err != nil {
				return err
			}
			return c.q.UserCreateWithEmail(ctx, db.UserCreateWithEmailParams{ID: id, Username: username, Email: email, Password: hash})
		}, username, "users_email_key")
	if err != nil {
		return Session{}, err
	}
	return c.startSession(ctx, who, in.Vars)
}

// findOrCreate is the shape every authenticate call shares: look the identifier up; if
// absent and creating is allowed, create the account. When a concurrent request creates
// the same identifier first (identifierKey is its unique constraint), the lookup runs
// again and returns that account, where Nakama answers with an internal error.
func (c *Core) findOrCreate(ctx context.Context, create bool, find func() (authenticated, error), insert func(uuid.UUID) error, username, identifierKey string) (authenticated, error) {
	for attempt := 0; attempt < 2; attempt++ {
		who, err := find()
		if err == nil {
			return who, nil
		}
		var coreErr *Error
		if errors.As(err, &coreErr) {
			return authenticated{}, err
		}
		if !isNotFound(err) {
			return authenticated{}, Internal("Error finding user account.", err)
		}
		if !create {
			return authenticated{}, ErrAccountNotFound
		}
		id := uuid.New()
		err = insert(id)
		switch uniqueViolation(err) {
		case "":
			if err != nil {
				return authenticated{}, Internal("Error finding or creating user account.", err)
			}
			return authenticated{userID: id, username: username, created: true}, nil
		case "users_username_key":
			return authenticated{}, ErrUsernameTaken
		case identifierKey:
			continue // lost a race with a concurrent create of the same identifier
		default:
			return authenticated{}, Internal("Error finding or creating user account.", err)
		}
	}
	return authenticated{}, Internal("Error finding or creating user account.", errors.New("identifier created and removed concurrently"))
}
