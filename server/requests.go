package server

import "github.com/bludispatcher/dispatcher/server/requests"

// addRequests sets up the requests to distributors of every configured
// company, once the companies have their store IDs.
func (s *Server) addRequests(reqs *requests.Service) error {
	s.requests = reqs
	for _, id := range s.order {
		t := s.targets[id]
		for _, co := range s.cfg.Companies {
			if co.ID != t.Company.Code {
				continue
			}
			if err := reqs.AddCompany(id, co.ID, co.Distributors); err != nil {
				return err
			}
		}
	}
	return nil
}
